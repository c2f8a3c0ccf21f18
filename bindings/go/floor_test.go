package gcounter

import (
	"sync"
	"testing"
)

// BenchmarkFloor measures what a binding's Increment cannot go below: one cgo call that does
// nothing, and the lock and unlock of the handle's sync.RWMutex. Beside BenchmarkIncrement, they
// show how much of an increment is the crossing into C rather than the library's work.
func BenchmarkFloor(b *testing.B) {
	b.Run("cgo-call", func(b *testing.B) {
		for b.Loop() {
			cNothing()
		}
	})
	b.Run("rwmutex", func(b *testing.B) {
		var mu sync.RWMutex
		for b.Loop() {
			mu.Lock()
			mu.Unlock()
		}
	})
}
