package gcounter

import (
	"math/big"
	"runtime"
	"sync"
	"sync/atomic"
)

// Counter is a grow-only counter replica. It is safe for concurrent use by multiple goroutines.
//
// The zero Counter is an empty counter ready to use, so a Counter works as a struct field
// without [New]. A Counter must not be copied: pass *Counter, and marshal a struct that holds
// one through a pointer, json.Marshal(&s). go vet reports a copy, as it does for a sync.Mutex.
//
// Call [Counter.Close] when done to free the C memory at once; a counter that is never closed
// is freed some time after it becomes unreachable.
type Counter struct {
	// h is set once, atomically, by the first use of a zero Counter, and never changes after.
	// Every method reads it atomically through a pointer receiver; a copy of the struct would
	// read it plainly and race that first use, which is why copies are refused: the atomic
	// type carries the marker that go vet's copylocks check looks for.
	h atomic.Pointer[handle]
}

// handle owns one C counter and the lock that guards it.
type handle struct {
	mu      sync.RWMutex
	ptr     *cCounter // nil once closed
	rank    uint64    // creation order; two handles are always locked in rank order
	cleanup runtime.Cleanup
}

var (
	lastRank atomic.Uint64
	// cleanupsRun counts the C counters freed by the cleanup rather than by Close.
	cleanupsRun atomic.Uint64
)

// adopt takes ownership of ptr and arranges for it to be freed if the handle is forgotten.
func adopt(ptr *cCounter) *handle {
	h := &handle{ptr: ptr, rank: lastRank.Add(1)}
	h.cleanup = runtime.AddCleanup(h, freeForgotten, ptr)
	return h
}

func freeForgotten(ptr *cCounter) {
	cFree(ptr)
	cleanupsRun.Add(1)
}

func wrap(ptr *cCounter) *Counter {
	c := &Counter{}
	c.h.Store(adopt(ptr))
	return c
}

// New returns an empty counter.
func New() *Counter {
	ptr, err := cNew()
	if err != nil {
		// The zero Counter allocates on first use and reports the error from there.
		return &Counter{}
	}
	return wrap(ptr)
}

// FromJSON parses the wire format, a JSON object {"agent_id": count, ...} with counts from 0 to
// math.MaxUint64, into a new counter. Anything else is [ErrInvalidJSON].
func FromJSON(data []byte) (*Counter, error) {
	ptr, err := cFromJSON(data)
	if err != nil {
		return nil, err
	}
	return wrap(ptr), nil
}

// handle returns the counter's handle, allocating the C counter on first use of a zero Counter.
func (c *Counter) handle() (*handle, error) {
	if c == nil {
		return nil, nilCounterError()
	}
	if h := c.h.Load(); h != nil {
		return h, nil
	}
	ptr, err := cNew()
	if err != nil {
		return nil, err
	}
	return c.install(adopt(ptr)), nil
}

// install makes fresh the counter's handle unless another goroutine was first, in which case
// fresh is closed and the winner returned.
func (c *Counter) install(fresh *handle) *handle {
	if c.h.CompareAndSwap(nil, fresh) {
		return fresh
	}
	fresh.close()
	return c.h.Load()
}

// read runs f on the C counter under the shared lock.
func (c *Counter) read(f func(ptr *cCounter) error) error {
	h, err := c.handle()
	if err != nil {
		return err
	}
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.ptr == nil {
		return ErrClosed
	}
	err = f(h.ptr)
	runtime.KeepAlive(h)
	return err
}

// write runs f on the C counter under the exclusive lock.
func (c *Counter) write(f func(ptr *cCounter) error) error {
	h, err := c.handle()
	if err != nil {
		return err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ptr == nil {
		return ErrClosed
	}
	err = f(h.ptr)
	runtime.KeepAlive(h)
	return err
}

// withPair runs f on the C counters of c and other, c locked exclusively when exclusive is set
// and shared otherwise, other shared. Two locks are always taken in rank order, so that calls on
// the same pair in opposite roles cannot deadlock; a counter paired with itself is locked once.
func (c *Counter) withPair(other *Counter, exclusive bool, f func(ptr, otherPtr *cCounter) error) error {
	h, err := c.handle()
	if err != nil {
		return err
	}
	o, err := other.handle()
	if err != nil {
		return err
	}
	if h == o {
		h.lock(exclusive)
		defer h.unlock(exclusive)
		if h.ptr == nil {
			return ErrClosed
		}
		err = f(h.ptr, h.ptr)
		runtime.KeepAlive(h)
		return err
	}
	if h.rank < o.rank {
		h.lock(exclusive)
		o.mu.RLock()
	} else {
		o.mu.RLock()
		h.lock(exclusive)
	}
	defer o.mu.RUnlock()
	defer h.unlock(exclusive)
	if h.ptr == nil || o.ptr == nil {
		return ErrClosed
	}
	err = f(h.ptr, o.ptr)
	runtime.KeepAlive(h)
	runtime.KeepAlive(o)
	return err
}

func (h *handle) lock(exclusive bool) {
	if exclusive {
		h.mu.Lock()
	} else {
		h.mu.RLock()
	}
}

func (h *handle) unlock(exclusive bool) {
	if exclusive {
		h.mu.Unlock()
	} else {
		h.mu.RUnlock()
	}
}

// close frees the C counter once; later calls do nothing.
func (h *handle) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ptr != nil {
		h.cleanup.Stop()
		cFree(h.ptr)
		h.ptr = nil
	}
	runtime.KeepAlive(h)
}

// replace swaps in ptr as the handle's C counter and frees the old one; a closed handle stays
// closed and frees ptr.
func (h *handle) replace(ptr *cCounter) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ptr == nil {
		cFree(ptr)
		return ErrClosed
	}
	h.cleanup.Stop()
	cFree(h.ptr)
	h.ptr = ptr
	h.cleanup = runtime.AddCleanup(h, freeForgotten, ptr)
	runtime.KeepAlive(h)
	return nil
}

// Increment adds by (at least 1, else [ErrInvalidArgument]) to agentID's slot. agentID is any
// UTF-8 string, the empty string and strings with NUL bytes included ([ErrInvalidUTF8]
// otherwise). If the slot would exceed math.MaxUint64 it returns [ErrOverflow] and changes
// nothing.
func (c *Counter) Increment(agentID string, by uint64) error {
	// The hot path: write's steps spelled out, without its closure and defer (nothing between
	// Lock and Unlock can panic).
	h, err := c.handle()
	if err != nil {
		return err
	}
	h.mu.Lock()
	if h.ptr == nil {
		h.mu.Unlock()
		return ErrClosed
	}
	err = cIncrement(h.ptr, agentID, by)
	h.mu.Unlock()
	runtime.KeepAlive(h)
	return err
}

// Join merges other into c: every slot of c becomes the maximum of the two. other is only read.
// c.Join(c) is allowed and changes nothing.
func (c *Counter) Join(other *Counter) error {
	return c.withPair(other, true, func(into, from *cCounter) error {
		return cJoin(into, from)
	})
}

// JoinJSON merges a counter in the wire format into c, as Join does. Input that is not the wire
// format returns [ErrInvalidJSON] and changes nothing.
func (c *Counter) JoinJSON(data []byte) error {
	return c.write(func(ptr *cCounter) error {
		return cJoinJSON(ptr, data)
	})
}

// Value returns the sum of all slots, or [ErrOverflow] when the sum exceeds math.MaxUint64.
func (c *Counter) Value() (uint64, error) {
	var value uint64
	err := c.read(func(ptr *cCounter) (err error) {
		value, err = cValue(ptr)
		return err
	})
	return value, err
}

// ValueExact returns the exact sum of all slots, which never overflows: above math.MaxUint64
// too, where [Counter.Value] returns [ErrOverflow]. The result is a new big.Int, the caller's.
func (c *Counter) ValueExact() (*big.Int, error) {
	var high, low uint64
	err := c.read(func(ptr *cCounter) (err error) {
		high, low, err = cValueExact(ptr)
		return err
	})
	if err != nil {
		return nil, err
	}
	value := new(big.Int).SetUint64(high)
	return value.Lsh(value, 64).Or(value, new(big.Int).SetUint64(low)), nil
}

// ValueFor returns agentID's slot; 0 for an agent never seen.
func (c *Counter) ValueFor(agentID string) (uint64, error) {
	var value uint64
	err := c.read(func(ptr *cCounter) (err error) {
		value, err = cValueFor(ptr, agentID)
		return err
	})
	return value, err
}

// AgentCount returns the number of agents whose slot is above 0; 0 for a closed or nil counter.
func (c *Counter) AgentCount() int {
	var count int
	_ = c.read(func(ptr *cCounter) error {
		count = cAgentCount(ptr)
		return nil
	})
	return count
}

// Equivalent reports whether c and other hold the same count for every agent. It is false
// when either is closed or nil.
func (c *Counter) Equivalent(other *Counter) bool {
	equivalent := false
	_ = c.withPair(other, false, func(ptr, otherPtr *cCounter) error {
		equivalent = cEquivalent(ptr, otherPtr)
		return nil
	})
	return equivalent
}

// Compare places c relative to other in the counters' partial order: [OrderLess] when every
// slot of c is at most other's and one is below, and so on (see [Order]).
func (c *Counter) Compare(other *Counter) (Order, error) {
	order := OrderEqual
	err := c.withPair(other, false, func(ptr, otherPtr *cCounter) (err error) {
		order, err = cCompare(ptr, otherPtr)
		return err
	})
	return order, err
}

// TakeDelta returns a new counter holding the current count of every slot that rose (by
// Increment, Join or JoinJSON) since the last TakeDelta or since c was made, and starts a new
// record. Joining a replica's deltas into a peer that had its earlier state, in any order and
// any number of times, gives the same result as joining its full state.
func (c *Counter) TakeDelta() (*Counter, error) {
	var delta *cCounter
	err := c.write(func(ptr *cCounter) (err error) {
		delta, err = cTakeDelta(ptr)
		return err
	})
	if err != nil {
		return nil, err
	}
	return wrap(delta), nil
}

// DeltaFor returns what peer lacks of c: a new counter holding c's count for every agent whose
// count in c is above its count in peer, and nothing else. Joining it into peer, or into any
// copy of peer, gives the same counter as joining c itself; it is empty when c is [OrderLess]
// or [OrderEqual] to peer. A replica that has just read a peer's state ([FromJSON]) replies
// with mine.DeltaFor(theirs): anti-entropy that sends only what is missing.
//
// Neither counter changes, nor its delta record ([Counter.TakeDelta]); the new counter's record
// is empty. c.DeltaFor(c) is allowed and returns an empty counter.
func (c *Counter) DeltaFor(peer *Counter) (*Counter, error) {
	var delta *cCounter
	err := c.withPair(peer, false, func(ptr, peerPtr *cCounter) (err error) {
		delta, err = cDeltaFor(ptr, peerPtr)
		return err
	})
	if err != nil {
		return nil, err
	}
	return wrap(delta), nil
}

// Clone returns an independent copy of c, with an empty delta record.
func (c *Counter) Clone() (*Counter, error) {
	var clone *cCounter
	err := c.read(func(ptr *cCounter) (err error) {
		clone, err = cClone(ptr)
		return err
	})
	if err != nil {
		return nil, err
	}
	return wrap(clone), nil
}

// ToJSON returns the canonical wire format: one JSON object without whitespace, one member per
// agent whose slot is above 0, sorted by agent id; `{}` for an empty counter. Equivalent
// counters give the same bytes.
func (c *Counter) ToJSON() ([]byte, error) {
	var data []byte
	err := c.read(func(ptr *cCounter) (err error) {
		data, err = cToJSON(ptr)
		return err
	})
	return data, err
}

// MarshalJSON implements [encoding/json.Marshaler] with [Counter.ToJSON]. Like every method it
// has a pointer receiver: encoding/json calls it for a Counter field of a struct marshalled
// through a pointer, json.Marshal(&s), and for a *Counter.
func (c *Counter) MarshalJSON() ([]byte, error) {
	if c != nil && c.h.Load() == nil {
		return []byte("{}"), nil // a zero Counter, never used: no C counter to make
	}
	return c.ToJSON()
}

// UnmarshalJSON implements [encoding/json.Unmarshaler]: it replaces the counter's state with
// the decoded one (use [Counter.JoinJSON] to merge instead) and starts a new delta record.
// JSON null leaves the counter as it is. A closed counter returns [ErrClosed].
func (c *Counter) UnmarshalJSON(data []byte) error {
	if c == nil {
		return nilCounterError()
	}
	if string(data) == "null" {
		return nil
	}
	h, err := c.handle()
	if err != nil {
		return err
	}
	ptr, err := cFromJSON(data)
	if err != nil {
		return err
	}
	return h.replace(ptr)
}

// Close frees the C counter. It is idempotent and always returns nil; after Close every method
// returns [ErrClosed], or its neutral result when it returns no error. Closing a nil *Counter
// does nothing.
func (c *Counter) Close() error {
	if c == nil {
		return nil
	}
	h := c.h.Load()
	if h == nil {
		// A zero Counter that was never used: install a closed handle so that it stays closed.
		h = c.install(&handle{rank: lastRank.Add(1)})
	}
	h.close()
	return nil
}

func nilCounterError() error {
	return &Error{Status: statusNullPointer, Message: "nil *Counter"}
}
