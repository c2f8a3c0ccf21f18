package gcounter_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	gcounter "github.com/libgcounter/gcounter/bindings/go"
)

func mustDeltaFor(t testing.TB, c, peer *gcounter.Counter) *gcounter.Counter {
	t.Helper()
	delta, err := c.DeltaFor(peer)
	if err != nil {
		t.Fatalf("DeltaFor: %v", err)
	}
	t.Cleanup(func() { delta.Close() })
	return delta
}

// checkDeltaFor checks the two laws of c.DeltaFor(peer): joined into a copy of peer it gives
// what c itself gives, and it is minimal, holding c's count exactly where peer has less.
func checkDeltaFor(t *testing.T, c, peer, delta *gcounter.Counter) {
	t.Helper()
	viaDelta, err := peer.Clone()
	if err != nil {
		t.Fatal(err)
	}
	defer viaDelta.Close()
	viaWhole, err := peer.Clone()
	if err != nil {
		t.Fatal(err)
	}
	defer viaWhole.Close()
	if err := viaDelta.Join(delta); err != nil {
		t.Fatal(err)
	}
	if err := viaWhole.Join(c); err != nil {
		t.Fatal(err)
	}
	if !viaDelta.Equivalent(viaWhole) {
		t.Errorf("peer joined with the delta = %s, with the counter = %s", mustJSON(t, viaDelta), mustJSON(t, viaWhole))
	}
	sent := 0
	for agentID, count := range c.All() {
		if count > mustValueFor(t, peer, agentID) {
			sent++
			if got := mustValueFor(t, delta, agentID); got != count {
				t.Errorf("delta has %q at %d, want the counter's %d", agentID, got, count)
			}
		}
	}
	if n := delta.AgentCount(); n != sent {
		t.Errorf("delta %s has %d agents, want only the %d the peer lacks", mustJSON(t, delta), n, sent)
	}
}

func TestDeltaFor(t *testing.T) {
	for _, tc := range []struct {
		name       string
		mine, peer map[string]uint64
		want       string
		order      gcounter.Order
	}{
		{"concurrent", map[string]uint64{"a": 3, "b": 1}, map[string]uint64{"a": 1, "b": 5, "c": 2},
			`{"a":3}`, gcounter.OrderConcurrent},
		{"greater", map[string]uint64{"a": 5, "b": 2}, map[string]uint64{"a": 5}, `{"b":2}`, gcounter.OrderGreater},
		{"less", map[string]uint64{"a": 1}, map[string]uint64{"a": 2, "b": 1}, `{}`, gcounter.OrderLess},
		{"equal", map[string]uint64{"a": 1, "b": 2}, map[string]uint64{"a": 1, "b": 2}, `{}`, gcounter.OrderEqual},
		{"peer empty", map[string]uint64{"a": 1, "b": 2}, nil, `{"a":1,"b":2}`, gcounter.OrderGreater},
		{"both empty", nil, nil, `{}`, gcounter.OrderEqual},
		{"NUL and non-ASCII ids", map[string]uint64{"a\x00b": 4, "zoë": 2, "日本": 9, "": 1},
			map[string]uint64{"a\x00b": 4, "zoë": 1, "a": 7},
			`{"":1,"zoë":2,"日本":9}`, gcounter.OrderConcurrent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mine, peer := counterOf(t, tc.mine), counterOf(t, tc.peer)
			if order, err := mine.Compare(peer); err != nil || order != tc.order {
				t.Fatalf("Compare = %v, %v; the case wants %v", order, err, tc.order)
			}
			before, peerBefore := mustJSON(t, mine), mustJSON(t, peer)
			delta := mustDeltaFor(t, mine, peer)
			if got := mustJSON(t, delta); got != tc.want {
				t.Errorf("DeltaFor = %s, want %s", got, tc.want)
			}
			checkDeltaFor(t, mine, peer, delta)
			if mustJSON(t, mine) != before || mustJSON(t, peer) != peerBefore {
				t.Errorf("DeltaFor changed its arguments: %s, %s", mustJSON(t, mine), mustJSON(t, peer))
			}
		})
	}
}

func TestDeltaForRandomCounters(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	randomCounter := func() *gcounter.Counter {
		counts := map[string]uint64{}
		for range rng.IntN(12) {
			counts[fmt.Sprintf("agent-%d", rng.IntN(16))] = 1 + rng.Uint64N(5)
		}
		return counterOf(t, counts)
	}
	for range 300 {
		mine, peer := randomCounter(), randomCounter()
		delta := mustDeltaFor(t, mine, peer)
		checkDeltaFor(t, mine, peer, delta)
		order, err := mine.Compare(peer)
		if err != nil {
			t.Fatal(err)
		}
		if empty := delta.AgentCount() == 0; empty != (order == gcounter.OrderLess || order == gcounter.OrderEqual) {
			t.Errorf("DeltaFor(%s, %s) = %s, but the order is %v", mustJSON(t, mine), mustJSON(t, peer), mustJSON(t, delta), order)
		}
	}
}

// Neither counter's delta record changes, and the new counter starts with an empty one.
func TestDeltaForLeavesDeltaRecordsAlone(t *testing.T) {
	mine := counterOf(t, map[string]uint64{"a": 2, "b": 3})
	peer := counterOf(t, map[string]uint64{"a": 1, "c": 4})
	delta := mustDeltaFor(t, mine, peer)
	if got := mustJSON(t, delta); got != `{"a":2,"b":3}` {
		t.Fatalf("DeltaFor = %s", got)
	}
	for _, tc := range []struct {
		name string
		c    *gcounter.Counter
		want string
	}{
		{"counter", mine, `{"a":2,"b":3}`},
		{"peer", peer, `{"a":1,"c":4}`},
		{"the delta itself", delta, `{}`},
	} {
		record, err := tc.c.TakeDelta()
		if err != nil {
			t.Fatal(err)
		}
		if got := mustJSON(t, record); got != tc.want {
			t.Errorf("TakeDelta of the %s after DeltaFor = %s, want %s", tc.name, got, tc.want)
		}
		record.Close()
	}
}

func TestDeltaForItselfIsEmpty(t *testing.T) {
	c := counterOf(t, map[string]uint64{"a": 2, "b": 3})
	delta := mustDeltaFor(t, c, c)
	if got := mustJSON(t, delta); got != `{}` {
		t.Errorf("c.DeltaFor(c) = %s, want {}", got)
	}
	if got := mustJSON(t, c); got != `{"a":2,"b":3}` {
		t.Errorf("c.DeltaFor(c) changed c: %s", got)
	}
}

func TestDeltaForIsAnIndependentCounter(t *testing.T) {
	mine := counterOf(t, map[string]uint64{"a": 2})
	peer := counterOf(t, nil)
	delta := mustDeltaFor(t, mine, peer)
	if err := delta.Increment("z", 1); err != nil {
		t.Fatal(err)
	}
	if err := mine.Close(); err != nil {
		t.Fatal(err)
	}
	if got := mustJSON(t, delta); got != `{"a":2,"z":1}` {
		t.Errorf("delta after changing it and closing the counter = %s", got)
	}
}

func TestDeltaForWithZeroCounters(t *testing.T) {
	var mine, peer gcounter.Counter
	defer mine.Close()
	defer peer.Close()
	if err := mine.Increment("a", 1); err != nil {
		t.Fatal(err)
	}
	if got := mustJSON(t, mustDeltaFor(t, &mine, &peer)); got != `{"a":1}` {
		t.Errorf("DeltaFor a zero peer = %s", got)
	}
	var unused gcounter.Counter
	defer unused.Close()
	if got := mustJSON(t, mustDeltaFor(t, &unused, &mine)); got != `{}` {
		t.Errorf("DeltaFor of a zero counter = %s", got)
	}
}
