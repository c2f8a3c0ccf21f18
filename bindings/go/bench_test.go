package gcounter_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"testing"

	gcounter "github.com/libgcounter/gcounter/bindings/go"
)

// mapCounter is the same G-Counter written in plain Go, as a baseline: what the binding costs
// (cgo calls, a lock, copies across the boundary) against a counter that never leaves Go.
type mapCounter map[string]uint64

func (m mapCounter) increment(agentID string, by uint64) { m[agentID] += by }

func (m mapCounter) join(other mapCounter) {
	for agentID, count := range other {
		if count > m[agentID] {
			m[agentID] = count
		}
	}
}

const benchAgents = 100_000

func agentIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("agent-%06d", i)
	}
	return ids
}

// benchCounters returns two counters of benchAgents agents whose slots interleave, so that a
// join takes slots from both sides; and the same two as maps.
func benchCounters(b *testing.B) (x, y *gcounter.Counter, mx, my mapCounter) {
	b.Helper()
	x, y = gcounter.New(), gcounter.New()
	b.Cleanup(func() { x.Close(); y.Close() })
	mx, my = mapCounter{}, mapCounter{}
	for i, agentID := range agentIDs(benchAgents) {
		xCount, yCount := uint64(i+1), uint64(benchAgents-i)
		if err := x.Increment(agentID, xCount); err != nil {
			b.Fatal(err)
		}
		if err := y.Increment(agentID, yCount); err != nil {
			b.Fatal(err)
		}
		mx.increment(agentID, xCount)
		my.increment(agentID, yCount)
	}
	return x, y, mx, my
}

func BenchmarkIncrement(b *testing.B) {
	ids := agentIDs(64)
	b.Run("gcounter", func(b *testing.B) {
		c := gcounter.New()
		defer c.Close()
		for i := 0; b.Loop(); i++ {
			if err := c.Increment(ids[i%len(ids)], 1); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("map", func(b *testing.B) {
		m := mapCounter{}
		for i := 0; b.Loop(); i++ {
			m.increment(ids[i%len(ids)], 1)
		}
	})
}

func BenchmarkJoin100kAgents(b *testing.B) {
	x, y, mx, my := benchCounters(b)
	b.Run("gcounter", func(b *testing.B) {
		for b.Loop() {
			if err := x.Join(y); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("map", func(b *testing.B) {
		for b.Loop() {
			mx.join(my)
		}
	})
}

func BenchmarkToJSON100kAgents(b *testing.B) {
	x, _, mx, _ := benchCounters(b)
	b.Run("gcounter", func(b *testing.B) {
		for b.Loop() {
			if _, err := x.ToJSON(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("map", func(b *testing.B) {
		for b.Loop() {
			if _, err := json.Marshal(mx); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkFromJSON100kAgents(b *testing.B) {
	x, _, _, _ := benchCounters(b)
	data, err := x.ToJSON()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("gcounter", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			c, err := gcounter.FromJSON(data)
			if err != nil {
				b.Fatal(err)
			}
			c.Close()
		}
	})
	b.Run("map", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var m mapCounter
			if err := json.Unmarshal(data, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// Walking every slot in canonical order: All against the map's keys sorted, then read.
func BenchmarkAll100kAgents(b *testing.B) {
	x, _, mx, _ := benchCounters(b)
	b.Run("gcounter", func(b *testing.B) {
		for b.Loop() {
			var total uint64
			for _, count := range x.All() {
				total += count
			}
		}
	})
	b.Run("map", func(b *testing.B) {
		for b.Loop() {
			var total uint64
			for _, agentID := range slices.Sorted(maps.Keys(mx)) {
				total += mx[agentID]
			}
		}
	})
}
