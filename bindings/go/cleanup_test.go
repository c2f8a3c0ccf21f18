package gcounter

import (
	"runtime"
	"testing"
	"time"
)

// collectUntil runs the garbage collector until cleanupsRun reaches target or a minute passes,
// and returns the count.
func collectUntil(target uint64) uint64 {
	deadline := time.Now().Add(time.Minute)
	for cleanupsRun.Load() < target && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
	}
	return cleanupsRun.Load()
}

// settle runs the garbage collector until no more cleanups run, so that counters dropped by
// earlier tests do not count towards the next one.
func settle() uint64 {
	last, stable := cleanupsRun.Load(), 0
	for stable < 3 {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		now := cleanupsRun.Load()
		if now == last {
			stable++
		} else {
			last, stable = now, 0
		}
	}
	return last
}

func TestForgottenCountersAreFreedByTheCleanup(t *testing.T) {
	const forgotten = 100_000
	const closed = 20_000
	before := settle()

	for range forgotten {
		c := New()
		if err := c.Increment("agent", 1); err != nil {
			t.Fatalf("Increment: %v", err)
		}
	}
	// Closed counters are freed by Close, and their cleanup is cancelled: never freed twice.
	for range closed {
		c := New()
		if err := c.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
	}

	freed := collectUntil(before+forgotten) - before
	if freed < forgotten {
		t.Fatalf("cleanup freed %d of %d forgotten counters", freed, forgotten)
	}
	freed = settle() - before
	if freed != forgotten {
		t.Errorf("cleanup ran %d times for %d forgotten and %d closed counters, want %d", freed, forgotten, closed, forgotten)
	}
}

func TestUnmarshalMovesTheCleanupToTheNewState(t *testing.T) {
	before := settle()
	func() {
		c := New()
		for range 10 {
			if err := c.UnmarshalJSON([]byte(`{"a":1}`)); err != nil {
				t.Fatalf("UnmarshalJSON: %v", err)
			}
		}
	}()
	if freed := collectUntil(before+1) - before; freed < 1 {
		t.Fatal("the replaced state of a forgotten counter was never freed")
	}
	if freed := settle() - before; freed != 1 {
		t.Errorf("cleanup ran %d times for one forgotten counter whose state was replaced 10 times", freed)
	}
}
