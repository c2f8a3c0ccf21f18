package gcounter_test

// The zero Counter and copies. Run under the race detector (make test-go runs go test -race),
// these tests fail on any unsynchronized access to a Counter, such as the plain read of the
// whole struct that a value receiver makes while another goroutine's first use sets it up.

import (
	"encoding/json"
	"errors"
	"iter"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	gcounter "github.com/libgcounter/gcounter/bindings/go"
)

// counterMethods calls each exported method of *Counter once; peer is a live counter for the
// methods that take a second one. Results are checked elsewhere: here only the accesses count.
func counterMethods(peer *gcounter.Counter) map[string]func(c *gcounter.Counter) {
	closeResult := func(c *gcounter.Counter, err error) {
		if err == nil {
			c.Close()
		}
	}
	walk := func(slots iter.Seq2[string, uint64], _ ...error) {
		for range slots {
		}
	}
	return map[string]func(c *gcounter.Counter){
		"Increment":     func(c *gcounter.Counter) { _ = c.Increment("a", 1) },
		"Join":          func(c *gcounter.Counter) { _ = c.Join(peer) },
		"JoinJSON":      func(c *gcounter.Counter) { _ = c.JoinJSON([]byte(`{"b":2}`)) },
		"Value":         func(c *gcounter.Counter) { _, _ = c.Value() },
		"ValueExact":    func(c *gcounter.Counter) { _, _ = c.ValueExact() },
		"ValueFor":      func(c *gcounter.Counter) { _, _ = c.ValueFor("a") },
		"AgentCount":    func(c *gcounter.Counter) { _ = c.AgentCount() },
		"Equivalent":    func(c *gcounter.Counter) { _ = c.Equivalent(peer) },
		"Compare":       func(c *gcounter.Counter) { _, _ = c.Compare(peer) },
		"TakeDelta":     func(c *gcounter.Counter) { closeResult(c.TakeDelta()) },
		"DeltaFor":      func(c *gcounter.Counter) { closeResult(c.DeltaFor(peer)) },
		"Clone":         func(c *gcounter.Counter) { closeResult(c.Clone()) },
		"All":           func(c *gcounter.Counter) { walk(c.All()) },
		"Slots":         func(c *gcounter.Counter) { walk(c.Slots()) },
		"ToJSON":        func(c *gcounter.Counter) { _, _ = c.ToJSON() },
		"MarshalJSON":   func(c *gcounter.Counter) { _, _ = c.MarshalJSON() },
		"UnmarshalJSON": func(c *gcounter.Counter) { _ = c.UnmarshalJSON([]byte(`{"c":3}`)) },
		"Close":         func(c *gcounter.Counter) { _ = c.Close() },
	}
}

func TestEveryMethodHasAPointerReceiverAndIsCoveredHere(t *testing.T) {
	if n := reflect.TypeFor[gcounter.Counter]().NumMethod(); n != 0 {
		t.Errorf("Counter has %d value-receiver methods; each would copy the Counter", n)
	}
	pointer := reflect.TypeFor[*gcounter.Counter]()
	var methods []string
	for i := range pointer.NumMethod() {
		methods = append(methods, pointer.Method(i).Name)
	}
	var covered []string
	for name := range counterMethods(nil) {
		covered = append(covered, name)
	}
	slices.Sort(covered)
	if !slices.Equal(methods, covered) {
		t.Errorf("methods of *Counter %v, counterMethods covers %v", methods, covered)
	}
}

type zeroFieldStats struct {
	Page  string           `json:"page"`
	Views gcounter.Counter `json:"views"`
}

// The first use of a never-used Counter field sets up its C counter while encoding/json reads
// the field of the same struct.
func TestMarshalWhileAZeroCounterFieldIsFirstUsed(t *testing.T) {
	for range 20 {
		stats := &zeroFieldStats{Page: "/"}
		var data []byte
		var marshalErr error
		var wg sync.WaitGroup
		wg.Add(2)
		go func() {
			defer wg.Done()
			if err := stats.Views.Increment("a", 1); err != nil {
				t.Errorf("Increment: %v", err)
			}
		}()
		go func() {
			defer wg.Done()
			data, marshalErr = json.Marshal(stats)
		}()
		wg.Wait()
		if marshalErr != nil {
			t.Fatalf("Marshal: %v", marshalErr)
		}
		if got := string(data); got != `{"page":"/","views":{}}` && got != `{"page":"/","views":{"a":1}}` {
			t.Fatalf("Marshal = %s, want the counter before or after the increment", got)
		}
		stats.Views.Close()
	}
}

// Any two methods first used at once on a zero Counter field, with the struct marshalled
// meanwhile.
func TestZeroCounterFirstUsedByAnyTwoMethodsAtOnce(t *testing.T) {
	peer := counterOf(t, map[string]uint64{"p": 1})
	methods := counterMethods(peer)
	for first, callFirst := range methods {
		for second, callSecond := range methods {
			stats := &zeroFieldStats{}
			var wg sync.WaitGroup
			wg.Add(3)
			go func() { defer wg.Done(); callFirst(&stats.Views) }()
			go func() { defer wg.Done(); callSecond(&stats.Views) }()
			var marshalErr error
			go func() { defer wg.Done(); _, marshalErr = json.Marshal(stats) }()
			wg.Wait()
			if marshalErr != nil && !errors.Is(marshalErr, gcounter.ErrClosed) {
				t.Errorf("%s and %s at once, then Marshal: %v", first, second, marshalErr)
			}
			stats.Views.Close()
		}
	}
}

// Copies are refused at build time: go vet's copylocks check reports each way a user's code
// can copy a Counter, a struct marshalled by value included.
func TestGoVetReportsCopiesOfACounter(t *testing.T) {
	module, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	goMod := "module copies\n\ngo 1.24\n\nrequire github.com/libgcounter/gcounter/bindings/go v0.0.0\n\n" +
		"replace github.com/libgcounter/gcounter/bindings/go => " + module + "\n"
	program := `package main

import (
	"encoding/json"
	"fmt"

	gcounter "github.com/libgcounter/gcounter/bindings/go"
)

type stats struct{ Views gcounter.Counter }

func total(c gcounter.Counter) uint64 { v, _ := c.Value(); return v } // copy: parameter

func main() {
	var s stats
	_ = s.Views.Increment("a", 1)
	copied := s.Views // copy: assignment
	data, _ := json.Marshal(s) // copy: struct by value
	fmt.Println(total(copied), string(data)) // copy: argument
	shared := &s.Views // no copy
	fmt.Println(shared.AgentCount())
}
`
	for name, text := range map[string]string{"go.mod": goMod, "main.go": program} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	vet := exec.Command("go", "vet", ".")
	vet.Dir = dir
	vet.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOPROXY=off")
	output, err := vet.CombinedOutput()
	if err == nil {
		t.Fatalf("go vet found nothing wrong in code that copies a Counter:\n%s", output)
	}
	// Exactly the lines marked "// copy:" are reported, each naming the Counter.
	var want, got []int
	for i, line := range strings.Split(program, "\n") {
		if strings.Contains(line, "// copy:") {
			want = append(want, i+1)
		}
	}
	report := regexp.MustCompile(`(?m)^(?:\./)?main\.go:(\d+):\d+: .*lock.*gcounter/bindings/go\.Counter`)
	for _, match := range report.FindAllStringSubmatch(string(output), -1) {
		line, _ := strconv.Atoi(match[1])
		got = append(got, line)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("go vet reported copies of a Counter on lines %v, want %v:\n%s", got, want, output)
	}
}
