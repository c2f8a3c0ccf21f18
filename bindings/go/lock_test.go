package gcounter

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

// Writers alone, readers together, checked from inside each critical section; under the race
// detector the plain shared variable also reports any overlap of a writer with anyone.
func TestRWLockExcludes(t *testing.T) {
	var l rwLock
	var writers, readers atomic.Int32
	shared := 0
	const goroutines, rounds = 8, 5000
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				if (g+i)%4 == 0 {
					l.Lock()
					if w, r := writers.Add(1), readers.Load(); w != 1 || r != 0 {
						t.Errorf("a writer inside with %d writers and %d readers", w, r)
					}
					shared++
					writers.Add(-1)
					l.Unlock()
				} else {
					l.RLock()
					readers.Add(1)
					if w := writers.Load(); w != 0 {
						t.Errorf("a reader inside with %d writers", w)
					}
					_ = shared
					readers.Add(-1)
					l.RUnlock()
				}
			}
		}()
	}
	wg.Wait()
	if want := goroutines * rounds / 4; shared != want {
		t.Errorf("writers ran %d times, want %d", shared, want)
	}
	if s := l.state.Load(); s != 0 {
		t.Errorf("state after all released = %#x, want 0", s)
	}
}

// A second reader gets in while the first holds the lock (else this test never ends).
func TestRWLockReadersShare(t *testing.T) {
	var l rwLock
	l.RLock()
	second := make(chan struct{})
	go func() {
		l.RLock()
		close(second)
		l.RUnlock()
	}()
	<-second
	l.RUnlock()
	l.Lock() // and a writer after both
	l.Unlock()
}

// waitUntil yields until cond holds, read under the lock's mutex.
func waitUntil(l *rwLock, cond func() bool) {
	for {
		l.mu.Lock()
		ok := cond()
		l.mu.Unlock()
		if ok {
			return
		}
		runtime.Gosched()
	}
}

// A writer waiting for a reader keeps readers that come after it out until it has run.
func TestRWLockWaitingWriterGoesBeforeNewReaders(t *testing.T) {
	var l rwLock
	var order []string
	var orderMu sync.Mutex
	record := func(who string) { orderMu.Lock(); order = append(order, who); orderMu.Unlock() }

	l.RLock()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		l.Lock()
		record("writer")
		l.Unlock()
	}()
	waitUntil(&l, func() bool { return l.sleepingWriters == 1 })
	readerDone := make(chan struct{})
	go func() {
		defer wg.Done()
		defer close(readerDone)
		l.RLock()
		record("reader")
		l.RUnlock()
	}()
	// Until the reader sleeps too, or has got in, which the check below reports.
	waitUntil(&l, func() bool {
		select {
		case <-readerDone:
			return true
		default:
			return l.sleepers == 2
		}
	})
	l.RUnlock()
	wg.Wait()
	if want := []string{"writer", "reader"}; !slices.Equal(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
	if s := l.state.Load(); s != 0 {
		t.Errorf("state after all released = %#x, want 0", s)
	}
}

// Readers that keep the lock held among themselves do not keep a writer out for ever.
func TestRWLockWriterGetsInAmongBusyReaders(t *testing.T) {
	var l rwLock
	var stop atomic.Bool
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				l.RLock()
				runtime.Gosched()
				l.RUnlock()
			}
		}()
	}
	for range 200 {
		l.Lock()
		l.Unlock()
	}
	stop.Store(true)
	wg.Wait()
}
