package gcounter

import "iter"

// All returns the slots of c, agent id and count, in canonical order: ids sorted by their
// UTF-8 bytes, only counts above 0, the order of [Counter.ToJSON].
//
//	for agentID, count := range c.All() { ... }
//
// Each loop over the sequence starts from a snapshot of the slots, copied under the counter's
// read lock when the loop starts; no lock is held while the loop body runs. So the body may
// call any method of c, Increment and Close included, without deadlock, and other goroutines
// may change c meanwhile: the loop sees the slots as they were when it started. The snapshot
// holds a copy of every id, so walking a counter costs memory in proportion to its size.
//
// Like every method without an error result, All gives its neutral result, an empty sequence,
// when it cannot take the snapshot: on a closed or nil counter (or an internal error of the
// library). Use [Counter.Slots] to tell that apart from an empty counter.
func (c *Counter) All() iter.Seq2[string, uint64] {
	return func(yield func(string, uint64) bool) {
		snapshot, _ := c.snapshot()
		snapshot.yieldTo(yield)
	}
}

// Slots is [Counter.All] with errors: it takes the snapshot now, and returns [ErrClosed] for a
// closed counter and [ErrNullPointer] for a nil one, with an empty sequence. The sequence
// yields the same snapshot every time it is ranged over.
//
//	slots, err := c.Slots()
//	if err != nil { ... }
//	for agentID, count := range slots { ... }
func (c *Counter) Slots() (iter.Seq2[string, uint64], error) {
	snapshot, err := c.snapshot()
	return func(yield func(string, uint64) bool) {
		snapshot.yieldTo(yield)
	}, err
}

func (c *Counter) snapshot() (slotSnapshot, error) {
	var snapshot slotSnapshot
	err := c.read(func(ptr *cCounter) (err error) {
		snapshot, err = cSlots(ptr)
		return err
	})
	return snapshot, err
}

// yieldTo yields each slot, every id a string of its own.
func (s slotSnapshot) yieldTo(yield func(string, uint64) bool) {
	start := uint64(0)
	for i, end := range s.idEnds {
		if !yield(string(s.ids[start:end]), s.counts[i]) {
			return
		}
		start = end
	}
}
