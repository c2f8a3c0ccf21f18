// A program as a user of the Go module writes it: two replicas count, exchange their state as
// JSON and a delta, converge, and refuse a bad document without changing. Prints
// "converged: <json> value <n>" and exits 0 when every check holds.
package main

import (
	"errors"
	"fmt"
	"os"

	gcounter "github.com/libgcounter/gcounter/bindings/go"
)

func main() {
	failures := 0
	check := func(ok bool, what string, err error) {
		if !ok || err != nil {
			fmt.Fprintf(os.Stderr, "app: failed: %s (%v)\n", what, err)
			failures++
		}
	}

	a := gcounter.New()
	defer a.Close()
	b := gcounter.New()
	defer b.Close()
	check(true, "increment a", a.Increment("agent-a", 3))
	check(true, "increment b", b.Increment("agent-b", 5))

	state, err := a.ToJSON()
	check(true, "to_json", err)
	check(true, "join_json", b.JoinJSON(state))
	delta, err := b.TakeDelta()
	check(true, "take_delta", err)
	defer delta.Close()
	check(true, "join the delta", a.Join(delta))

	err = a.JoinJSON([]byte(`{"agent-a": 9, "agent-c": -1}`))
	check(errors.Is(err, gcounter.ErrInvalidJSON), "a bad document is refused with ErrInvalidJSON", nil)
	value, err := a.Value()
	check(value == 8, "the value is 8, the refused document changed nothing", err)
	json, err := a.ToJSON()
	check(string(json) == `{"agent-a":3,"agent-b":5}`, "canonical JSON", err)

	if failures != 0 {
		os.Exit(1)
	}
	fmt.Printf("converged: %s value %d\n", json, value)
}
