package gcounter

import (
	"errors"
	"strings"
)

// Sentinels for errors.Is. Each failing library call returns an [*Error] that matches exactly
// one of the first six; calls on a closed counter return ErrClosed itself.
var (
	// ErrNullPointer: a required counter was nil.
	ErrNullPointer = errors.New("gcounter: null pointer")
	// ErrInvalidArgument: an argument is out of range, e.g. an increment by 0.
	ErrInvalidArgument = errors.New("gcounter: invalid argument")
	// ErrInvalidUTF8: an agent id is not valid UTF-8.
	ErrInvalidUTF8 = errors.New("gcounter: invalid UTF-8")
	// ErrOverflow: a slot, or the value, would exceed math.MaxUint64.
	ErrOverflow = errors.New("gcounter: overflow")
	// ErrInvalidJSON: the input is not the wire format {"agent_id": count, ...}.
	ErrInvalidJSON = errors.New("gcounter: invalid JSON")
	// ErrPanic: an internal error of the library, caught at its boundary.
	ErrPanic = errors.New("gcounter: internal error")
	// ErrClosed: the counter was closed.
	ErrClosed = errors.New("gcounter: counter is closed")
)

// Error is a failure reported by libgcounter: its status code (gcounter_status) and its detail
// message, read in the same C call as the failure. It unwraps to the sentinel of its status.
type Error struct {
	Status  int    // the gcounter_status code, e.g. 2 for GCOUNTER_ERR_INVALID_ARGUMENT
	Message string // the library's detail (gcounter_last_error_message), may be empty
}

// Error returns the sentinel's text followed by the library's detail, e.g.
// "gcounter: overflow: the slot of agent \"a\" would exceed UINT64_MAX". A detail that begins
// with the sentinel's own words follows "gcounter: " alone, so that they are not said twice:
// "gcounter: invalid JSON at byte 5: expected ':'".
func (e *Error) Error() string {
	kind := "gcounter: " + statusText(e.Status)
	if sentinel := e.Unwrap(); sentinel != nil {
		kind = sentinel.Error()
	}
	if e.Message == "" {
		return kind
	}
	if words := strings.TrimPrefix(kind, "gcounter: "); strings.HasPrefix(e.Message, words+" ") {
		return "gcounter: " + e.Message
	}
	return kind + ": " + e.Message
}

// Unwrap returns the sentinel that matches the status, or nil for a status this package does
// not know.
func (e *Error) Unwrap() error {
	switch e.Status {
	case statusNullPointer:
		return ErrNullPointer
	case statusInvalidArgument:
		return ErrInvalidArgument
	case statusInvalidUTF8:
		return ErrInvalidUTF8
	case statusOverflow:
		return ErrOverflow
	case statusInvalidJSON:
		return ErrInvalidJSON
	case statusPanic:
		return ErrPanic
	}
	return nil
}
