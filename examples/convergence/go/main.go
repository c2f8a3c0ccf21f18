// A replica of the convergence example in Go, over the gcounter binding (cgo).
//
// Usage: replica DIR SEED, then commands on standard input (see ../coordinator.py).
package main

import (
	"bufio"
	"errors"
	"fmt"
	"log"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	gcounter "github.com/libgcounter/gcounter/bindings/go"
)

// drain joins every message in the inbox, in name order, and returns how many were refused.
func drain(counter *gcounter.Counter, inbox string) int {
	entries, err := os.ReadDir(inbox)
	check(err)
	names := make([]string, 0, len(entries))
	for _, entry := range entries {
		if !strings.HasPrefix(entry.Name(), ".") {
			names = append(names, entry.Name())
		}
	}
	sort.Strings(names)
	refused := 0
	for _, name := range names {
		path := filepath.Join(inbox, name)
		message, err := os.ReadFile(path)
		check(err)
		check(os.Remove(path))
		if err := counter.JoinJSON(message); errors.Is(err, gcounter.ErrInvalidJSON) {
			refused++ // cut short in transit; the counter is unchanged
		} else {
			check(err)
		}
	}
	return refused
}

// send writes a message atomically: to a hidden name, then renamed.
func send(outbox, name string, payload []byte) {
	temporary := filepath.Join(outbox, "."+name)
	check(os.WriteFile(temporary, payload, 0o644))
	check(os.Rename(temporary, filepath.Join(outbox, name)))
}

func main() {
	if len(os.Args) != 3 {
		log.Fatal("usage: replica DIR SEED")
	}
	directory := os.Args[1]
	seed, err := strconv.ParseInt(os.Args[2], 10, 64)
	check(err)
	rng := rand.New(rand.NewSource(seed))
	agentID, err := os.ReadFile(filepath.Join(directory, "agent_id"))
	check(err)
	inbox, outbox := filepath.Join(directory, "inbox"), filepath.Join(directory, "outbox")

	counter := gcounter.New()
	defer counter.Close()
	own, refused := uint64(0), 0
	input := bufio.NewScanner(os.Stdin)
	for input.Scan() {
		command := strings.Fields(input.Text())
		if command[0] == "quit" {
			break
		}
		refused += drain(counter, inbox)
		switch command[0] {
		case "round":
			for i := rng.Intn(4); i > 0; i-- {
				by := uint64(1 + rng.Intn(9))
				check(counter.Increment(string(agentID), by))
				own += by
			}
			number, err := strconv.Atoi(command[1])
			check(err)
			var payload []byte
			if rng.Intn(4) == 0 {
				payload, err = counter.ToJSON() // the full state
			} else {
				var delta *gcounter.Counter // what rose since the last delta
				delta, err = counter.TakeDelta()
				check(err)
				payload, err = delta.ToJSON()
				check(delta.Close())
			}
			check(err)
			send(outbox, fmt.Sprintf("%04d.json", number), payload)
		case "final":
			payload, err := counter.ToJSON()
			check(err)
			send(outbox, "final.json", payload)
		case "report":
			payload, err := counter.ToJSON()
			check(err)
			check(os.WriteFile(filepath.Join(directory, "state.json"), payload, 0o644))
		}
		value, err := counter.Value()
		check(err)
		fmt.Printf("ok %d %d %d\n", own, value, refused)
	}
	check(input.Err())
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
