package gcounter_test

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"

	gcounter "github.com/libgcounter/gcounter/bindings/go"
)

type slot struct {
	agentID string
	count   uint64
}

func collect(slots func(func(string, uint64) bool)) []slot {
	var got []slot
	for agentID, count := range slots {
		got = append(got, slot{agentID, count})
	}
	return got
}

// sortedSlots is counts in canonical order: Go compares strings by their bytes, as the library
// sorts ids.
func sortedSlots(counts map[string]uint64) []slot {
	var want []slot
	for _, agentID := range slices.Sorted(maps.Keys(counts)) {
		want = append(want, slot{agentID, counts[agentID]})
	}
	return want
}

func TestAllInCanonicalOrder(t *testing.T) {
	counts := map[string]uint64{
		"": 1, "a": 2, "a\x00": 3, "a\x00b": 4, "b": 5, "Z": 6, "zoë": 7, "zo": 8, "é": 9, "日本": 10,
		"\U0001F600": 11, "\x00": 12, "z": 18446744073709551615,
	}
	c := counterOf(t, counts)
	want := sortedSlots(counts)
	if got := collect(c.All()); !slices.Equal(got, want) {
		t.Errorf("All = %q,\nwant  %q", got, want)
	}
	slots, err := c.Slots()
	if err != nil {
		t.Fatal(err)
	}
	if got := collect(slots); !slices.Equal(got, want) {
		t.Errorf("Slots = %q,\nwant    %q", got, want)
	}
	// The same order as the wire format's members.
	if got := mustJSON(t, c); got != `{"":1,"\u0000":12,"Z":6,"a":2,"a\u0000":3,"a\u0000b":4,"b":5,"z":18446744073709551615,`+
		`"zo":8,"zoë":7,"é":9,"日本":10,"😀":11}` {
		t.Errorf("ToJSON = %s", got)
	}
}

func TestAllLeavesOutZeroCounts(t *testing.T) {
	c, err := gcounter.FromJSON([]byte(`{"a":0,"b":2,"c":0}`))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got, want := collect(c.All()), []slot{{"b", 2}}; !slices.Equal(got, want) {
		t.Errorf("All = %q, want %q", got, want)
	}
}

func TestAllOfEmptyCounters(t *testing.T) {
	var zero gcounter.Counter
	defer zero.Close()
	for name, c := range map[string]*gcounter.Counter{"New": counterOf(t, nil), "zero Counter": &zero} {
		if got := collect(c.All()); len(got) != 0 {
			t.Errorf("%s: All = %q, want nothing", name, got)
		}
		slots, err := c.Slots()
		if err != nil {
			t.Errorf("%s: Slots: %v", name, err)
		}
		if got := collect(slots); len(got) != 0 {
			t.Errorf("%s: Slots = %q, want nothing", name, got)
		}
	}
}

// Many agents arriving in random order, then more after a first walk: each walk is sorted.
func TestAllManyAgentsStaySorted(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	counts := map[string]uint64{}
	c := counterOf(t, nil)
	add := func(n int) {
		for range n {
			agentID := fmt.Sprintf("agent-%d-%x", rng.IntN(1000), rng.Uint32())
			by := 1 + rng.Uint64N(100)
			counts[agentID] += by
			if err := c.Increment(agentID, by); err != nil {
				t.Fatal(err)
			}
		}
	}
	add(5000)
	if got := collect(c.All()); !slices.Equal(got, sortedSlots(counts)) {
		t.Fatalf("All of %d agents is not the sorted slots", len(counts))
	}
	add(100)
	if got := collect(c.All()); !slices.Equal(got, sortedSlots(counts)) {
		t.Fatalf("All after new agents is not the sorted slots")
	}
}

func TestAllStopsWhenTheLoopBreaks(t *testing.T) {
	c := counterOf(t, map[string]uint64{"a": 1, "b": 2, "c": 3})
	var seen []string
	for agentID := range c.All() {
		seen = append(seen, agentID)
		if len(seen) == 2 {
			break
		}
	}
	if !slices.Equal(seen, []string{"a", "b"}) {
		t.Errorf("loop saw %q, want [a b]", seen)
	}
}

// The loop body may change the counter: it walks the slots as they were when it started, and
// the changes are there afterwards.
func TestAllLoopBodyMayChangeTheCounter(t *testing.T) {
	c := counterOf(t, map[string]uint64{"a": 1, "b": 2})
	peer := counterOf(t, map[string]uint64{"c": 9})
	var got []slot
	for agentID, count := range c.All() {
		got = append(got, slot{agentID, count})
		if err := c.Increment(agentID, 10); err != nil {
			t.Fatalf("Increment inside the loop: %v", err)
		}
		if err := c.Increment("new-"+agentID, 1); err != nil {
			t.Fatalf("Increment inside the loop: %v", err)
		}
		if err := c.Join(peer); err != nil {
			t.Fatalf("Join inside the loop: %v", err)
		}
	}
	if want := []slot{{"a", 1}, {"b", 2}}; !slices.Equal(got, want) {
		t.Errorf("loop saw %q, want the snapshot %q", got, want)
	}
	if got := mustJSON(t, c); got != `{"a":11,"b":12,"c":9,"new-a":1,"new-b":1}` {
		t.Errorf("after the loop: %s", got)
	}
}

// Each loop over one All sequence takes a new snapshot; a Slots sequence keeps its own.
func TestAllSnapshotsEachLoopSlotsOnce(t *testing.T) {
	c := counterOf(t, map[string]uint64{"a": 1})
	all := c.All()
	slots, err := c.Slots()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Increment("b", 2); err != nil {
		t.Fatal(err)
	}
	if got, want := collect(all), []slot{{"a", 1}, {"b", 2}}; !slices.Equal(got, want) {
		t.Errorf("All after an increment = %q, want %q", got, want)
	}
	for range 2 {
		if got, want := collect(slots), []slot{{"a", 1}}; !slices.Equal(got, want) {
			t.Errorf("Slots taken before the increment = %q, want %q", got, want)
		}
	}
}

// Closing the counter inside the loop ends nothing: the ids are the loop's own strings.
func TestAllLoopBodyMayCloseTheCounter(t *testing.T) {
	c := counterOf(t, map[string]uint64{"a\x00b": 1, "zoë": 2})
	var got []slot
	for agentID, count := range c.All() {
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		runtime.GC()
		got = append(got, slot{agentID, count})
	}
	runtime.GC()
	if want := []slot{{"a\x00b", 1}, {"zoë", 2}}; !slices.Equal(got, want) {
		t.Errorf("loop saw %q, want %q", got, want)
	}
	slots, err := c.Slots()
	if !errors.Is(err, gcounter.ErrClosed) {
		t.Errorf("Slots after Close: %v, want ErrClosed", err)
	}
	if got := collect(slots); len(got) != 0 {
		t.Errorf("Slots after Close yields %q, want nothing", got)
	}
	if got := collect(c.All()); len(got) != 0 {
		t.Errorf("All after Close yields %q, want nothing", got)
	}
}

// Walks while other goroutines increment: every walk is sorted and whole, and no count goes
// down between two walks of one goroutine.
func TestAllWhileOthersIncrement(t *testing.T) {
	c := counterOf(t, nil)
	const writers, rounds = 4, 300
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				if err := c.Increment(fmt.Sprintf("agent-%d-%d", w, i%7), 1); err != nil {
					t.Errorf("Increment: %v", err)
					return
				}
			}
		}()
	}
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			last := map[string]uint64{}
			for range 100 {
				var walked []string
				for agentID, count := range c.All() {
					if count < last[agentID] {
						t.Errorf("%s went from %d to %d", agentID, last[agentID], count)
					}
					last[agentID] = count
					walked = append(walked, agentID)
				}
				if !slices.IsSorted(walked) {
					t.Errorf("a walk is not sorted: %q", walked)
				}
			}
		}()
	}
	wg.Wait()
	var total uint64
	for _, count := range c.All() {
		total += count
	}
	if total != writers*rounds {
		t.Errorf("slots sum to %d, want %d", total, writers*rounds)
	}
}
