package gcounter

import (
	"sync"
	"sync/atomic"
)

// rwLock is the reader-writer lock of a handle: sync.RWMutex's contract in one atomic word, so
// that an uncontended Lock and Unlock cost one atomic instruction each where sync.RWMutex takes
// four, which is a sixth of an Increment. Readers hold it together, a writer alone; a waiting
// writer keeps new readers out. Its zero value is unlocked. Contended goroutines sleep on a
// sync.Cond; while any sleeps, every acquisition goes through the mutex, in the slow path.
type rwLock struct {
	// state is lockWriter when a writer holds the lock, else the number of readers that hold
	// it, plus lockSleepers while a goroutine sleeps in slow (set and cleared under mu only).
	state atomic.Int32
	mu    sync.Mutex
	wake  sync.Cond // L is &mu, set on first use under mu
	// Under mu: goroutines asleep in slow, and how many of them are writers.
	sleepers, sleepingWriters int
}

const (
	lockWriter   = 1 << 30
	lockSleepers = 1 << 29
	lockReaders  = lockSleepers - 1
)

func (l *rwLock) Lock() {
	if !l.state.CompareAndSwap(0, lockWriter) {
		l.slow(true)
	}
}

func (l *rwLock) Unlock() {
	if !l.state.CompareAndSwap(lockWriter, 0) {
		l.mu.Lock()
		l.state.Add(-lockWriter)
		l.wakeAll()
		l.mu.Unlock()
	}
}

func (l *rwLock) RLock() {
	s := l.state.Load()
	if s&(lockWriter|lockSleepers) != 0 || !l.state.CompareAndSwap(s, s+1) {
		l.slow(false)
	}
}

func (l *rwLock) RUnlock() {
	// The last reader out wakes the sleepers; the lockSleepers bit was set, under mu, before
	// any of them went to sleep, so mu is free again only once they all wait.
	if l.state.Add(-1) == lockSleepers {
		l.mu.Lock()
		l.wakeAll()
		l.mu.Unlock()
	}
}

// wakeAll wakes every sleeper, which then tries again; the caller holds mu.
func (l *rwLock) wakeAll() {
	if l.sleepers > 0 {
		l.wake.Broadcast()
	}
}

// slow acquires the lock under mu, sleeping until it can. A writer takes it when no one holds
// it; a reader when no writer holds it or sleeps, so that readers cannot starve writers.
func (l *rwLock) slow(writer bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.wake.L == nil {
		l.wake.L = &l.mu
	}
	for {
		s := l.state.Load()
		if writer && s&(lockWriter|lockReaders) == 0 {
			if l.state.CompareAndSwap(s, s|lockWriter) {
				return
			}
			continue
		}
		if !writer && s&lockWriter == 0 && l.sleepingWriters == 0 {
			if l.state.CompareAndSwap(s, s+1) {
				return
			}
			continue
		}
		// Announce the sleep in the same state the holder sees, so that its release takes
		// the path that wakes us; if the state moved meanwhile, look again.
		if s&lockSleepers == 0 && !l.state.CompareAndSwap(s, s|lockSleepers) {
			continue
		}
		l.sleep(writer)
	}
}

func (l *rwLock) sleep(writer bool) {
	l.sleepers++
	if writer {
		l.sleepingWriters++
	}
	l.wake.Wait()
	l.sleepers--
	if writer {
		l.sleepingWriters--
	}
	if l.sleepers == 0 {
		l.state.And(^lockSleepers)
	}
}
