package gcounter

// The C boundary: every call into libgcounter goes through one shim below and one Go function
// after it. Nothing else in the package uses cgo.
//
// gcounter_last_error_message() is thread-local, and a goroutine may move to another OS thread
// between two cgo calls, so each shim copies the message inside the same C call as the failing
// function and returns it with the status.

/*
#include <stdlib.h>
#include <string.h>
#include "gcounter.h"

// gcgo_call is the result of one shim: the status, a malloc'd copy of the calling thread's error
// message when the status is not GCOUNTER_OK (freed by the Go side), and the call's out-values.
typedef struct {
	int status;
	char *message;
	uint64_t number;
	uint64_t number_high; // the high word of value_exact
	size_t id_bytes;      // the total length of the slots' ids
	gcounter_t *counter;
	char *json;
	size_t json_len;
} gcgo_call;

// A malloc'd copy of the calling thread's last error message.
static char *gcgo_message(void) {
	const char *message = gcounter_last_error_message();
	return strdup(message != NULL ? message : "");
}

static gcgo_call gcgo_finish(gcounter_status status) {
	gcgo_call call;
	memset(&call, 0, sizeof call);
	call.status = (int)status;
	if (status != GCOUNTER_OK) {
		call.message = gcgo_message();
	}
	return call;
}

// A Go string of length 0 may have a NULL data pointer; pass "" so that an empty agent id or
// document is never taken for a missing argument.
static const char *gcgo_bytes(_GoString_ s) {
	return _GoStringLen(s) == 0 ? "" : _GoStringPtr(s);
}

// A NULL handle from new, clone or take_delta means the library caught a panic.
static gcgo_call gcgo_handle(gcounter_t *counter) {
	if (counter == NULL) {
		return gcgo_finish(GCOUNTER_ERR_PANIC);
	}
	gcgo_call call = gcgo_finish(GCOUNTER_OK);
	call.counter = counter;
	return call;
}

static gcgo_call gcgo_new(void) {
	return gcgo_handle(gcounter_new());
}

static gcgo_call gcgo_clone(const gcounter_t *counter) {
	return gcgo_handle(gcounter_clone(counter));
}

// The hot path has a lean shim of its own: the status, and a copy of the message only on failure,
// returned in two registers, so that a successful increment costs one cgo call and no copying.
typedef struct {
	int status;
	char *message;
} gcgo_status;

// The handle crosses as an integer: cgo checks at run time every pointer argument whose
// target type it cannot see into, as gcounter_t, and a C pointer needs no such check.
static gcgo_status gcgo_increment(uintptr_t counter, _GoString_ agent_id, uint64_t by) {
	gcgo_status result = {(int)gcounter_increment_len(
		(gcounter_t *)counter, gcgo_bytes(agent_id), _GoStringLen(agent_id), by), NULL};
	if (result.status != GCOUNTER_OK) {
		result.message = gcgo_message();
	}
	return result;
}

static gcgo_call gcgo_join(gcounter_t *into, const gcounter_t *other) {
	return gcgo_finish(gcounter_join(into, other));
}

static gcgo_call gcgo_join_json(gcounter_t *into, _GoString_ json) {
	return gcgo_finish(gcounter_join_json(into, gcgo_bytes(json), _GoStringLen(json)));
}

static gcgo_call gcgo_value(const gcounter_t *counter) {
	uint64_t value = 0;
	gcgo_call call = gcgo_finish(gcounter_value(counter, &value));
	call.number = value;
	return call;
}

static gcgo_call gcgo_value_exact(const gcounter_t *counter) {
	uint64_t high = 0, low = 0;
	gcgo_call call = gcgo_finish(gcounter_value_exact(counter, &high, &low));
	call.number_high = high;
	call.number = low;
	return call;
}

static gcgo_call gcgo_value_for(const gcounter_t *counter, _GoString_ agent_id) {
	uint64_t value = 0;
	gcgo_call call = gcgo_finish(
		gcounter_value_for_len(counter, gcgo_bytes(agent_id), _GoStringLen(agent_id), &value));
	call.number = value;
	return call;
}

static gcgo_call gcgo_compare(const gcounter_t *a, const gcounter_t *b) {
	gcounter_order order = GCOUNTER_ORDER_EQUAL;
	gcgo_call call = gcgo_finish(gcounter_compare(a, b, &order));
	call.number = (uint64_t)order;
	return call;
}

static gcgo_call gcgo_to_json(const gcounter_t *counter) {
	char *json = NULL;
	size_t len = 0;
	gcgo_call call = gcgo_finish(gcounter_to_json(counter, &json, &len));
	call.json = json;
	call.json_len = len;
	return call;
}

static gcgo_call gcgo_from_json(_GoString_ json) {
	gcounter_t *counter = NULL;
	gcgo_call call = gcgo_finish(gcounter_from_json(gcgo_bytes(json), _GoStringLen(json), &counter));
	call.counter = counter;
	return call;
}

static gcgo_call gcgo_delta_for(const gcounter_t *counter, const gcounter_t *peer) {
	gcounter_t *delta = NULL;
	gcgo_call call = gcgo_finish(gcounter_delta_for(counter, peer, &delta));
	call.counter = delta;
	return call;
}

// The slots in two passes under one lock, two cgo calls in all however many slots there are:
// gcgo_slots_size gives the number of slots and the total length of their ids, then
// gcgo_copy_slots copies them into Go memory of exactly that size. The borrowed id pointers stay
// valid across both passes, which make only const calls.
static gcgo_call gcgo_slots_size(const gcounter_t *counter) {
	size_t count = gcounter_agent_count(counter), id_bytes = 0;
	for (size_t i = 0; i < count; i++) {
		const char *agent_id = NULL;
		size_t agent_id_len = 0;
		uint64_t slot = 0;
		gcounter_status status = gcounter_slot_at(counter, i, &agent_id, &agent_id_len, &slot);
		if (status != GCOUNTER_OK) {
			return gcgo_finish(status);
		}
		id_bytes += agent_id_len;
	}
	gcgo_call call = gcgo_finish(GCOUNTER_OK);
	call.number = count;
	call.id_bytes = id_bytes;
	return call;
}

// Copies slots 0..count-1: the ids end to end into ids (id_bytes long), where slot i's id ends at
// id_ends[i], and the counts into counts.
static gcgo_call gcgo_copy_slots(const gcounter_t *counter, size_t count, char *ids, size_t id_bytes,
                                 uint64_t *id_ends, uint64_t *counts) {
	size_t end = 0;
	for (size_t i = 0; i < count; i++) {
		const char *agent_id = NULL;
		size_t agent_id_len = 0;
		gcounter_status status = gcounter_slot_at(counter, i, &agent_id, &agent_id_len, &counts[i]);
		if (status != GCOUNTER_OK) {
			return gcgo_finish(status);
		}
		if (agent_id_len > id_bytes - end) { // only if the counter changed between the passes
			gcgo_call call = gcgo_finish(GCOUNTER_OK);
			call.status = GCOUNTER_ERR_PANIC;
			call.message = strdup("the slots changed while they were copied");
			return call;
		}
		memcpy(ids + end, agent_id, agent_id_len);
		end += agent_id_len;
		id_ends[i] = end;
	}
	return gcgo_finish(GCOUNTER_OK);
}

static gcgo_call gcgo_take_delta(gcounter_t *counter) {
	gcounter_t *delta = NULL;
	gcgo_call call = gcgo_finish(gcounter_take_delta(counter, &delta));
	call.counter = delta;
	return call;
}

// Does nothing: the floor of every call into the library, for the benchmarks.
static void gcgo_nothing(void) {}
*/
// #cgo nocallback gcgo_nothing
// #cgo noescape gcgo_increment
// #cgo noescape gcgo_join_json
// #cgo noescape gcgo_value_for
// #cgo noescape gcgo_from_json
// #cgo nocallback gcgo_increment
// #cgo nocallback gcgo_join_json
// #cgo nocallback gcgo_value_for
// #cgo nocallback gcgo_from_json
// #cgo nocallback gcgo_value
// #cgo nocallback gcgo_join
// #cgo noescape gcgo_copy_slots
// #cgo nocallback gcgo_copy_slots
import "C"

import (
	"unsafe"
)

// cCounter is the opaque C handle, gcounter_t.
type cCounter = C.gcounter_t

// callError turns a shim's status and message into a Go error (nil for GCOUNTER_OK) and frees
// the message copy.
func callError(call *C.gcgo_call) error {
	if call.status == C.GCOUNTER_OK {
		return nil
	}
	return statusError(call.status, call.message)
}

// statusError is the Go error of a failed call's status and its malloc'd message copy, which
// it frees.
func statusError(status C.int, message *C.char) error {
	var text string
	if message != nil {
		text = C.GoString(message)
		C.free(unsafe.Pointer(message))
	}
	return &Error{Status: int(status), Message: text}
}

// statusText is the library's own name for a status code, including codes this package does
// not know.
func statusText(status int) string {
	return C.GoString(C.gcounter_status_str(C.gcounter_status(status)))
}

// cVersion is gcounter_version(): a static string, copied into Go memory.
func cVersion() string {
	return C.GoString(C.gcounter_version())
}

// bytesAsString lets a JSON document cross to C without a copy; C only reads it during the call.
func bytesAsString(data []byte) string {
	return unsafe.String(unsafe.SliceData(data), len(data))
}

func cNew() (*cCounter, error) {
	call := C.gcgo_new()
	return call.counter, callError(&call)
}

func cFree(counter *cCounter) {
	C.gcounter_free(counter)
}

func cClone(counter *cCounter) (*cCounter, error) {
	call := C.gcgo_clone(counter)
	return call.counter, callError(&call)
}

// cNothing makes one cgo call that does nothing: what every call into the library costs at
// least, which the benchmarks show beside Increment.
func cNothing() { C.gcgo_nothing() }

func cIncrement(counter *cCounter, agentID string, by uint64) error {
	result := C.gcgo_increment(C.uintptr_t(uintptr(unsafe.Pointer(counter))), agentID, C.uint64_t(by))
	if result.status == C.GCOUNTER_OK {
		return nil
	}
	return statusError(result.status, result.message)
}

func cJoin(into, other *cCounter) error {
	call := C.gcgo_join(into, other)
	return callError(&call)
}

func cJoinJSON(into *cCounter, data []byte) error {
	call := C.gcgo_join_json(into, bytesAsString(data))
	return callError(&call)
}

func cValue(counter *cCounter) (uint64, error) {
	call := C.gcgo_value(counter)
	return uint64(call.number), callError(&call)
}

// cValueExact returns the total as two words, high*2^64 + low.
func cValueExact(counter *cCounter) (high, low uint64, err error) {
	call := C.gcgo_value_exact(counter)
	return uint64(call.number_high), uint64(call.number), callError(&call)
}

func cValueFor(counter *cCounter, agentID string) (uint64, error) {
	call := C.gcgo_value_for(counter, agentID)
	return uint64(call.number), callError(&call)
}

func cAgentCount(counter *cCounter) int {
	return int(C.gcounter_agent_count(counter))
}

func cEquivalent(a, b *cCounter) bool {
	return bool(C.gcounter_equivalent(a, b))
}

func cCompare(a, b *cCounter) (Order, error) {
	call := C.gcgo_compare(a, b)
	if err := callError(&call); err != nil {
		return OrderEqual, err
	}
	switch call.number {
	case C.GCOUNTER_ORDER_EQUAL:
		return OrderEqual, nil
	case C.GCOUNTER_ORDER_LESS:
		return OrderLess, nil
	case C.GCOUNTER_ORDER_GREATER:
		return OrderGreater, nil
	case C.GCOUNTER_ORDER_CONCURRENT:
		return OrderConcurrent, nil
	}
	return OrderEqual, &Error{Status: statusPanic, Message: "unknown gcounter_order value"}
}

// cToJSON copies the library's string into Go memory and frees it with gcounter_string_free.
func cToJSON(counter *cCounter) ([]byte, error) {
	call := C.gcgo_to_json(counter)
	if err := callError(&call); err != nil {
		return nil, err
	}
	defer C.gcounter_string_free(call.json)
	return append([]byte(nil), unsafe.Slice((*byte)(unsafe.Pointer(call.json)), call.json_len)...), nil
}

func cFromJSON(data []byte) (*cCounter, error) {
	call := C.gcgo_from_json(bytesAsString(data))
	return call.counter, callError(&call)
}

func cDeltaFor(counter, peer *cCounter) (*cCounter, error) {
	call := C.gcgo_delta_for(counter, peer)
	return call.counter, callError(&call)
}

// slotSnapshot is a copy of every slot in canonical order: slot i's id is
// ids[idEnds[i-1]:idEnds[i]] (from 0 for i = 0), its count counts[i].
type slotSnapshot struct {
	ids    []byte
	idEnds []uint64
	counts []uint64
}

// cSlots copies every slot out of the library; the caller holds the counter's lock across it.
func cSlots(counter *cCounter) (slotSnapshot, error) {
	size := C.gcgo_slots_size(counter)
	if err := callError(&size); err != nil {
		return slotSnapshot{}, err
	}
	count := int(size.number)
	if count == 0 {
		return slotSnapshot{}, nil
	}
	// One byte more than the ids need, so that &ids[0] exists when every id is empty.
	s := slotSnapshot{
		ids:    make([]byte, size.id_bytes+1),
		idEnds: make([]uint64, count),
		counts: make([]uint64, count),
	}
	// SAFETY: Go memory without Go pointers in it, written by C only during the call (cgo's rules).
	call := C.gcgo_copy_slots(counter, C.size_t(count),
		(*C.char)(unsafe.Pointer(&s.ids[0])), size.id_bytes,
		(*C.uint64_t)(unsafe.Pointer(&s.idEnds[0])), (*C.uint64_t)(unsafe.Pointer(&s.counts[0])))
	if err := callError(&call); err != nil {
		return slotSnapshot{}, err
	}
	s.ids = s.ids[:size.id_bytes]
	return s, nil
}

func cTakeDelta(counter *cCounter) (*cCounter, error) {
	call := C.gcgo_take_delta(counter)
	return call.counter, callError(&call)
}

// The status codes, which are part of the C ABI.
const (
	statusOK              = int(C.GCOUNTER_OK)
	statusNullPointer     = int(C.GCOUNTER_ERR_NULL_POINTER)
	statusInvalidArgument = int(C.GCOUNTER_ERR_INVALID_ARGUMENT)
	statusInvalidUTF8     = int(C.GCOUNTER_ERR_INVALID_UTF8)
	statusOverflow        = int(C.GCOUNTER_ERR_OVERFLOW)
	statusInvalidJSON     = int(C.GCOUNTER_ERR_INVALID_JSON)
	statusPanic           = int(C.GCOUNTER_ERR_PANIC)
)
