package gcounter_test

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"
	"testing"

	gcounter "github.com/libgcounter/gcounter/bindings/go"
)

// failingCall makes the i-th goroutine's own error: each names a different agent or byte, so
// every message is different.
func failingCall(i int, c *gcounter.Counter) error {
	switch i % 4 {
	case 0:
		return c.JoinJSON([]byte(fmt.Sprintf(`{"agent-%d":-1}`, i)))
	case 1:
		_, err := gcounter.FromJSON([]byte(`{"a":1,` + strings.Repeat(" ", i) + `x}`))
		return err
	case 2:
		return c.JoinJSON([]byte(fmt.Sprintf(`{"dup-%d":1,"dup-%d":2}`, i, i)))
	default:
		return c.Increment(fmt.Sprintf("full-%d", i), 1)
	}
}

func TestConcurrentErrorsKeepTheirOwnMessage(t *testing.T) {
	const goroutines = 64
	const rounds = 200
	counters := make([]*gcounter.Counter, goroutines)
	expected := make([]string, goroutines)
	seen := map[string]int{}
	for i := range counters {
		counters[i] = counterOf(t, map[string]uint64{fmt.Sprintf("full-%d", i): math.MaxUint64})
		err := failingCall(i, counters[i])
		var libErr *gcounter.Error
		if !errors.As(err, &libErr) || libErr.Message == "" {
			t.Fatalf("call %d: error %v has no library message", i, err)
		}
		expected[i] = err.Error()
		if j, dup := seen[expected[i]]; dup {
			t.Fatalf("calls %d and %d give the same message %q; the test needs distinct ones", j, i, expected[i])
		}
		seen[expected[i]] = i
	}

	start := make(chan struct{})
	mismatches := make(chan string, goroutines*rounds)
	var wg sync.WaitGroup
	for i := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for range rounds {
				// A successful call in between resets the message on whichever thread runs it.
				if _, err := counters[i].Value(); err != nil && !errors.Is(err, gcounter.ErrOverflow) {
					mismatches <- fmt.Sprintf("goroutine %d: Value: %v", i, err)
				}
				runtime.Gosched()
				if err := failingCall(i, counters[i]); err == nil || err.Error() != expected[i] {
					mismatches <- fmt.Sprintf("goroutine %d: got %v, want %q", i, err, expected[i])
				}
			}
		}()
	}
	close(start)
	wg.Wait()
	close(mismatches)
	for mismatch := range mismatches {
		t.Error(mismatch)
	}
}

func TestConcurrentIncrementsOnOneCounter(t *testing.T) {
	const goroutines = 16
	const increments = 2000
	shared := gcounter.New()
	defer shared.Close()
	var wg sync.WaitGroup
	for i := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			agentID := fmt.Sprintf("agent-%d", i%4) // several goroutines share each slot
			for n := range increments {
				by := uint64(n%3 + 1)
				if err := shared.Increment(agentID, by); err != nil {
					t.Errorf("Increment: %v", err)
					return
				}
			}
		}()
	}
	// Readers run alongside the writers.
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				if _, err := shared.ToJSON(); err != nil {
					t.Errorf("ToJSON: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()

	var perGoroutine uint64
	for n := range increments {
		perGoroutine += uint64(n%3 + 1)
	}
	if v := mustValue(t, shared); v != goroutines*perGoroutine {
		t.Errorf("Value = %d, want %d", v, goroutines*perGoroutine)
	}
	for slot := range 4 {
		agentID := fmt.Sprintf("agent-%d", slot)
		if got := mustValueFor(t, shared, agentID); got != goroutines/4*perGoroutine {
			t.Errorf("ValueFor(%s) = %d, want %d", agentID, got, goroutines/4*perGoroutine)
		}
	}
}

func TestJoinAndDeltaForBothWaysAtOnceDoNotDeadlock(t *testing.T) {
	a := counterOf(t, map[string]uint64{"alice": 1})
	b := counterOf(t, map[string]uint64{"bob": 1})
	const rounds = 2000
	var wg sync.WaitGroup
	pairs := []struct{ into, from *gcounter.Counter }{{a, b}, {b, a}, {a, a}, {b, b}}
	for _, pair := range pairs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				if err := pair.into.Join(pair.from); err != nil {
					t.Errorf("Join: %v", err)
					return
				}
				if _, err := pair.into.Compare(pair.from); err != nil {
					t.Errorf("Compare: %v", err)
					return
				}
				pair.from.Equivalent(pair.into)
				delta, err := pair.into.DeltaFor(pair.from)
				if err != nil {
					t.Errorf("DeltaFor: %v", err)
					return
				}
				delta.Close()
			}
		}()
	}
	wg.Add(2)
	go func() {
		defer wg.Done()
		for range rounds {
			if err := a.Increment("alice", 1); err != nil {
				t.Errorf("Increment: %v", err)
				return
			}
		}
	}()
	go func() {
		defer wg.Done()
		for range rounds {
			if err := b.Increment("bob", 1); err != nil {
				t.Errorf("Increment: %v", err)
				return
			}
		}
	}()
	wg.Wait()

	if err := a.Join(b); err != nil {
		t.Fatal(err)
	}
	if err := b.Join(a); err != nil {
		t.Fatal(err)
	}
	if got, want := mustJSON(t, a), fmt.Sprintf(`{"alice":%d,"bob":%d}`, rounds+1, rounds+1); got != want {
		t.Errorf("a = %s, want %s", got, want)
	}
	if !a.Equivalent(b) {
		t.Errorf("a = %s, b = %s after joining both ways", mustJSON(t, a), mustJSON(t, b))
	}
}

func TestCloseWhileOthersUseTheCounter(t *testing.T) {
	c := gcounter.New()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 500 {
				err := c.Increment(fmt.Sprint(i), 1)
				if err != nil && !errors.Is(err, gcounter.ErrClosed) {
					t.Errorf("Increment: %v", err)
					return
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		runtime.Gosched()
		c.Close()
	}()
	wg.Wait()
	if _, err := c.Value(); !errors.Is(err, gcounter.ErrClosed) {
		t.Errorf("Value after Close = %v, want ErrClosed", err)
	}
}

func TestZeroCounterFirstUsedByManyGoroutines(t *testing.T) {
	var c gcounter.Counter
	defer c.Close()
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.Increment("alice", 1); err != nil {
				t.Errorf("Increment: %v", err)
			}
		}()
	}
	wg.Wait()
	if v := mustValue(t, &c); v != 16 {
		t.Errorf("Value = %d, want 16: goroutines saw different counters", v)
	}
}
