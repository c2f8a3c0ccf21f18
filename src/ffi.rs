//! The C ABI: the only module that knows C. cbindgen turns it into `include/gcounter.h`, and
//! these doc comments become the header's documentation.
//!
//! Each exported function checks its pointers, converts its arguments, calls the core and maps
//! the result, inside `boundary`, which catches panics and records the error message. The
//! mapping from core errors to status codes is `Failure::from`, written once.

#![allow(non_camel_case_types)]
#![deny(unsafe_op_in_unsafe_fn)]

use std::cell::RefCell;
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use crate::{Error, GCounter};

/// A status code. The C enum with these values is written in `cbindgen.toml`: on the Rust side
/// a status taken as a parameter must be an integer, since an out-of-range enum is undefined
/// behaviour in Rust.
pub type gcounter_status = u32;

pub const GCOUNTER_OK: gcounter_status = 0;
pub const GCOUNTER_ERR_NULL_POINTER: gcounter_status = 1;
pub const GCOUNTER_ERR_INVALID_ARGUMENT: gcounter_status = 2;
pub const GCOUNTER_ERR_INVALID_UTF8: gcounter_status = 3;
pub const GCOUNTER_ERR_OVERFLOW: gcounter_status = 4;
pub const GCOUNTER_ERR_INVALID_JSON: gcounter_status = 5;
pub const GCOUNTER_ERR_PANIC: gcounter_status = 6;

/// The lattice order of two counters `a` and `b`, as `gcounter_compare` reports it.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum gcounter_order {
    /// The same count in every slot.
    GCOUNTER_ORDER_EQUAL = 0,
    /// `a <= b` in every slot, `<` in at least one: `a` has nothing `b` lacks.
    GCOUNTER_ORDER_LESS = 1,
    /// `a >= b` in every slot, `>` in at least one: `b` has nothing `a` lacks.
    GCOUNTER_ORDER_GREATER = 2,
    /// Neither: each has increments the other lacks.
    GCOUNTER_ORDER_CONCURRENT = 3,
}

/// A counter handle: opaque to C, owned by whoever holds it (see the ownership rules above).
pub struct gcounter_t {
    counter: GCounter,
}

impl gcounter_t {
    fn boxed(counter: GCounter) -> *mut gcounter_t {
        Box::into_raw(Box::new(gcounter_t { counter }))
    }
}

/// A failed call: its status and the message for `gcounter_last_error_message`.
struct Failure {
    status: gcounter_status,
    message: String,
}

impl Failure {
    fn new(status: gcounter_status, message: impl Into<String>) -> Self {
        Failure {
            status,
            message: message.into(),
        }
    }

    fn null(argument: &str) -> Self {
        Failure::new(
            GCOUNTER_ERR_NULL_POINTER,
            format!("argument '{argument}' is NULL"),
        )
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        let status = match error {
            Error::ZeroIncrement => GCOUNTER_ERR_INVALID_ARGUMENT,
            Error::SlotOverflow { .. } => GCOUNTER_ERR_OVERFLOW,
            Error::InvalidJson(_) => GCOUNTER_ERR_INVALID_JSON,
        };
        Failure::new(status, error.to_string())
    }
}

thread_local! {
    /// The message of the last failed call on this thread, NUL-terminated; empty after a success.
    static LAST_ERROR: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

fn record_success() {
    // `try_with`: a call from a thread-local destructor finds the slot gone; there is nothing
    // to clear then.
    let _ = LAST_ERROR.try_with(|last| {
        let mut last = last.borrow_mut();
        if !last.is_empty() {
            last.clear();
        }
    });
}

fn record_failure(message: &str) {
    let _ = LAST_ERROR.try_with(|last| {
        let mut last = last.borrow_mut();
        last.clear();
        // An interior NUL would cut the C string short; agent ids may hold one.
        last.extend(message.bytes().map(|b| if b == 0 { b'?' } else { b }));
        last.push(0);
    });
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let detail = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("no message");
    format!("internal error (a bug in libgcounter, please report it): {detail}")
}

/// Runs one exported call: catches panics, records the message, returns the status.
fn boundary(call: impl FnOnce() -> Result<(), Failure>) -> gcounter_status {
    match catch_unwind(AssertUnwindSafe(call)) {
        Ok(Ok(())) => {
            record_success();
            GCOUNTER_OK
        }
        Ok(Err(failure)) => {
            record_failure(&failure.message);
            failure.status
        }
        Err(payload) => {
            record_failure(&panic_message(payload.as_ref()));
            GCOUNTER_ERR_PANIC
        }
    }
}

/// [`boundary`] for the calls that return a value rather than a status: `fallback` on failure.
fn boundary_value<T>(fallback: T, call: impl FnOnce() -> Result<T, Failure>) -> T {
    let mut result = None;
    boundary(|| {
        result = Some(call()?);
        Ok(())
    });
    result.unwrap_or(fallback)
}

/// The counter behind a handle the caller promises is NULL or valid for reads.
///
/// # Safety
/// `handle` is NULL or a live handle that nothing mutates during the call.
unsafe fn counter_ref<'a>(
    handle: *const gcounter_t,
    argument: &str,
) -> Result<&'a GCounter, Failure> {
    // SAFETY: non-NULL handles are valid by this function's contract.
    let handle = unsafe { handle.as_ref() };
    handle
        .map(|h| &h.counter)
        .ok_or_else(|| Failure::null(argument))
}

/// The counter behind a handle the caller promises is NULL or valid and unshared.
///
/// # Safety
/// `handle` is NULL or a live handle that nothing else reads or writes during the call.
unsafe fn counter_mut<'a>(
    handle: *mut gcounter_t,
    argument: &str,
) -> Result<&'a mut GCounter, Failure> {
    // SAFETY: non-NULL handles are valid and exclusive by this function's contract.
    let handle = unsafe { handle.as_mut() };
    handle
        .map(|h| &mut h.counter)
        .ok_or_else(|| Failure::null(argument))
}

/// Checks an out-parameter; it is written only once the call has succeeded.
fn out_param<T>(pointer: *mut T, argument: &str) -> Result<*mut T, Failure> {
    if pointer.is_null() {
        Err(Failure::null(argument))
    } else {
        Ok(pointer)
    }
}

/// The bytes of a `(pointer, length)` argument; length 0 takes any pointer, NULL included.
///
/// # Safety
/// If `length > 0`, `bytes` is NULL or valid for reads of `length` bytes during the call.
unsafe fn byte_slice<'a>(
    bytes: *const c_char,
    length: usize,
    argument: &str,
) -> Result<&'a [u8], Failure> {
    if length == 0 {
        return Ok(&[]);
    }
    if bytes.is_null() {
        return Err(Failure::null(argument));
    }
    if length > isize::MAX as usize {
        return Err(Failure::new(
            GCOUNTER_ERR_INVALID_ARGUMENT,
            format!("the length of '{argument}' ({length}) is larger than any object"),
        ));
    }
    // SAFETY: non-NULL and valid for `length` bytes by this function's contract.
    Ok(unsafe { std::slice::from_raw_parts(bytes.cast::<u8>(), length) })
}

fn agent_id_from_bytes(bytes: &[u8]) -> Result<&str, Failure> {
    // Most ids are ASCII, which a word-at-a-time scan proves faster than full UTF-8 validation.
    if bytes.is_ascii() {
        // SAFETY: ASCII bytes are valid UTF-8.
        return Ok(unsafe { std::str::from_utf8_unchecked(bytes) });
    }
    std::str::from_utf8(bytes).map_err(|error| {
        Failure::new(
            GCOUNTER_ERR_INVALID_UTF8,
            format!(
                "agent_id is not valid UTF-8 (invalid byte at offset {})",
                error.valid_up_to()
            ),
        )
    })
}

/// An agent id from a NUL-terminated string.
///
/// # Safety
/// `agent_id` is NULL or a NUL-terminated string valid for reads during the call.
unsafe fn agent_id_from_c<'a>(agent_id: *const c_char) -> Result<&'a str, Failure> {
    if agent_id.is_null() {
        return Err(Failure::null("agent_id"));
    }
    // SAFETY: non-NULL and NUL-terminated by this function's contract.
    agent_id_from_bytes(unsafe { CStr::from_ptr(agent_id) }.to_bytes())
}

/// An agent id from a pointer and a byte length.
///
/// # Safety
/// As [`byte_slice`].
unsafe fn agent_id_from_len<'a>(
    agent_id: *const c_char,
    length: usize,
) -> Result<&'a str, Failure> {
    // SAFETY: forwarded contract.
    agent_id_from_bytes(unsafe { byte_slice(agent_id, length, "agent_id") }?)
}

/// The version of the library, e.g. `"0.1.0"`: a static string, never freed.
///
/// Does not change `gcounter_last_error_message()`.
#[no_mangle]
pub extern "C" fn gcounter_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// A short static description of `status`, never freed, e.g. `"input is not the gcounter JSON
/// wire format"` for `GCOUNTER_ERR_INVALID_JSON`. Any integer may be passed: an unknown code
/// gives a text that says so.
///
/// Does not change `gcounter_last_error_message()`.
#[no_mangle]
pub extern "C" fn gcounter_status_str(status: gcounter_status) -> *const c_char {
    let text: &'static str = match status {
        GCOUNTER_OK => "ok\0",
        GCOUNTER_ERR_NULL_POINTER => "a required pointer argument was NULL\0",
        GCOUNTER_ERR_INVALID_ARGUMENT => "invalid argument\0",
        GCOUNTER_ERR_INVALID_UTF8 => "an agent id is not valid UTF-8\0",
        GCOUNTER_ERR_OVERFLOW => "a slot or the total would exceed UINT64_MAX\0",
        GCOUNTER_ERR_INVALID_JSON => "input is not the gcounter JSON wire format\0",
        GCOUNTER_ERR_PANIC => "internal error caught at the library boundary\0",
        _ => "unknown gcounter_status code\0",
    };
    text.as_ptr().cast()
}

/// Why the most recent `gcounter_` call on the calling OS thread failed, as a NUL-terminated
/// message (which byte of the JSON, which agent); `""` if that call succeeded.
///
/// The string belongs to the library and stays valid until the next `gcounter_` call on the
/// same thread; never free it. Every function except this one, `gcounter_version` and
/// `gcounter_status_str` replaces the message, including those that return no status
/// (`gcounter_agent_count`, `gcounter_equivalent`, `gcounter_new`, `gcounter_clone`, the frees).
///
/// Read it on the same OS thread, straight after the failing call: a runtime that moves its
/// tasks between OS threads (Go, Java virtual threads) must read it inside the same native call.
#[no_mangle]
pub extern "C" fn gcounter_last_error_message() -> *const c_char {
    LAST_ERROR
        .try_with(|last| {
            let last = last.borrow();
            if last.is_empty() {
                c"".as_ptr()
            } else {
                // The buffer lives in this thread's slot and is only replaced by a later call.
                last.as_ptr().cast()
            }
        })
        .unwrap_or(c"".as_ptr())
}

/// A new, empty counter, owned by the caller: free it with `gcounter_free`.
///
/// Returns NULL only if an internal error was caught (see `gcounter_last_error_message`).
#[no_mangle]
pub extern "C" fn gcounter_new() -> *mut gcounter_t {
    boundary_value(ptr::null_mut(), || Ok(gcounter_t::boxed(GCounter::new())))
}

/// Frees a counter from `gcounter_new`, `gcounter_clone`, `gcounter_from_json` or
/// `gcounter_take_delta`. NULL is a no-op.
///
/// # Safety
/// `counter` is NULL or a counter from this library not yet freed, and no other call uses it
/// now or later.
#[no_mangle]
pub unsafe extern "C" fn gcounter_free(counter: *mut gcounter_t) {
    boundary(|| {
        if !counter.is_null() {
            // SAFETY: the caller hands back a pointer from `Box::into_raw`, exactly once.
            drop(unsafe { Box::from_raw(counter) });
        }
        Ok(())
    });
}

/// A new counter with the same counts as `counter` and an empty delta record, owned by the
/// caller (free it with `gcounter_free`). NULL in, NULL out.
///
/// # Safety
/// `counter` is NULL or a live counter that no call mutates meanwhile.
#[no_mangle]
pub unsafe extern "C" fn gcounter_clone(counter: *const gcounter_t) -> *mut gcounter_t {
    boundary_value(ptr::null_mut(), || {
        // SAFETY: NULL or a live counter, by the caller's contract.
        let counter = unsafe { counter_ref(counter, "counter") }?;
        Ok(gcounter_t::boxed(counter.clone()))
    })
}

/// Adds `by` to the slot of `agent_id` (a NUL-terminated UTF-8 string).
///
/// Returns `GCOUNTER_OK`; `GCOUNTER_ERR_NULL_POINTER` if `counter` or `agent_id` is NULL;
/// `GCOUNTER_ERR_INVALID_ARGUMENT` if `by` is 0; `GCOUNTER_ERR_INVALID_UTF8` if `agent_id` is
/// not UTF-8; `GCOUNTER_ERR_OVERFLOW` if the slot would exceed `UINT64_MAX` (the total never
/// makes an increment fail). On error the counter is unchanged.
///
/// # Safety
/// `counter` is NULL or a live counter that no other call uses meanwhile; `agent_id` is NULL or
/// NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn gcounter_increment(
    counter: *mut gcounter_t,
    agent_id: *const c_char,
    by: u64,
) -> gcounter_status {
    boundary(|| {
        // SAFETY: NULL or valid, by the caller's contract.
        let counter = unsafe { counter_mut(counter, "counter") }?;
        // SAFETY: NULL or NUL-terminated, by the caller's contract.
        let agent_id = unsafe { agent_id_from_c(agent_id) }?;
        Ok(counter.increment(agent_id, by)?)
    })
}

/// `gcounter_increment` with the agent id given as `agent_id_len` bytes, which may include NUL
/// bytes. With `agent_id_len == 0` the id is `""` and `agent_id` may be any pointer, NULL
/// included. Statuses as `gcounter_increment`.
///
/// # Safety
/// `counter` as for `gcounter_increment`; `agent_id` valid for `agent_id_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn gcounter_increment_len(
    counter: *mut gcounter_t,
    agent_id: *const c_char,
    agent_id_len: usize,
    by: u64,
) -> gcounter_status {
    boundary(|| {
        // SAFETY: NULL or valid, by the caller's contract.
        let counter = unsafe { counter_mut(counter, "counter") }?;
        // SAFETY: valid for `agent_id_len` bytes, by the caller's contract.
        let agent_id = unsafe { agent_id_from_len(agent_id, agent_id_len) }?;
        Ok(counter.increment(agent_id, by)?)
    })
}

/// Joins `other` into `into`: every slot of `into` becomes the maximum of the two.
/// `into == other` is allowed and changes nothing.
///
/// Returns `GCOUNTER_OK`, or `GCOUNTER_ERR_NULL_POINTER` if either is NULL.
///
/// # Safety
/// Both are NULL or live counters; no other call uses `into` meanwhile, nor mutates `other`.
#[no_mangle]
pub unsafe extern "C" fn gcounter_join(
    into: *mut gcounter_t,
    other: *const gcounter_t,
) -> gcounter_status {
    boundary(|| {
        if into.is_null() {
            return Err(Failure::null("into"));
        }
        if other.is_null() {
            return Err(Failure::null("other"));
        }
        if ptr::eq(into, other) {
            // A join with itself is the identity; taking `&mut` and `&` to one counter is not
            // allowed, so stop here.
            return Ok(());
        }
        // SAFETY: distinct live counters, `into` unshared, by the caller's contract.
        let (into, other) = unsafe { (&mut (*into).counter, &(*other).counter) };
        into.join(other);
        Ok(())
    })
}

/// Parses `json_len` bytes of `json` as the wire format and joins them into `into`.
///
/// Returns `GCOUNTER_OK`; `GCOUNTER_ERR_NULL_POINTER` if `into` is NULL, or `json` is NULL with
/// `json_len > 0`; `GCOUNTER_ERR_INVALID_JSON` if the input is not the wire format (the message
/// says which byte and why); then `into` is unchanged, none of the document applied.
///
/// # Safety
/// `into` as for `gcounter_join`; `json` valid for `json_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn gcounter_join_json(
    into: *mut gcounter_t,
    json: *const c_char,
    json_len: usize,
) -> gcounter_status {
    boundary(|| {
        // SAFETY: NULL or valid, by the caller's contract.
        let into = unsafe { counter_mut(into, "into") }?;
        // SAFETY: valid for `json_len` bytes, by the caller's contract.
        let json = unsafe { byte_slice(json, json_len, "json") }?;
        Ok(into.join_json(json)?)
    })
}

/// Writes the sum of all slots to `*out_value`.
///
/// Returns `GCOUNTER_OK`; `GCOUNTER_ERR_NULL_POINTER` if an argument is NULL;
/// `GCOUNTER_ERR_OVERFLOW` if the sum exceeds `UINT64_MAX` (the slots are `uint64_t`, so the
/// true sum can be larger; the message gives it in full).
///
/// # Safety
/// `counter` is NULL or a live counter that no call mutates meanwhile; `out_value` is NULL or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn gcounter_value(
    counter: *const gcounter_t,
    out_value: *mut u64,
) -> gcounter_status {
    boundary(|| {
        // SAFETY: NULL or valid, by the caller's contract.
        let counter = unsafe { counter_ref(counter, "counter") }?;
        let out_value = out_param(out_value, "out_value")?;
        let total = counter.value();
        let total = u64::try_from(total).map_err(|_| {
            Failure::new(
                GCOUNTER_ERR_OVERFLOW,
                format!("the total {total} exceeds UINT64_MAX"),
            )
        })?;
        // SAFETY: checked non-NULL; writable by the caller's contract.
        unsafe { out_value.write(total) };
        Ok(())
    })
}

/// Writes the count of `agent_id` (NUL-terminated UTF-8) to `*out_value`: 0 for an agent never
/// seen.
///
/// Returns `GCOUNTER_OK`; `GCOUNTER_ERR_NULL_POINTER` if an argument is NULL;
/// `GCOUNTER_ERR_INVALID_UTF8` if `agent_id` is not UTF-8.
///
/// # Safety
/// As `gcounter_value`; `agent_id` is NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn gcounter_value_for(
    counter: *const gcounter_t,
    agent_id: *const c_char,
    out_value: *mut u64,
) -> gcounter_status {
    boundary(|| {
        // SAFETY: NULL or valid, by the caller's contract.
        let counter = unsafe { counter_ref(counter, "counter") }?;
        // SAFETY: NULL or NUL-terminated, by the caller's contract.
        let agent_id = unsafe { agent_id_from_c(agent_id) }?;
        let out_value = out_param(out_value, "out_value")?;
        // SAFETY: checked non-NULL; writable by the caller's contract.
        unsafe { out_value.write(counter.value_for(agent_id)) };
        Ok(())
    })
}

/// `gcounter_value_for` with the agent id given as `agent_id_len` bytes (NUL bytes allowed;
/// length 0 takes any pointer). Statuses as `gcounter_value_for`.
///
/// # Safety
/// As `gcounter_value`; `agent_id` valid for `agent_id_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn gcounter_value_for_len(
    counter: *const gcounter_t,
    agent_id: *const c_char,
    agent_id_len: usize,
    out_value: *mut u64,
) -> gcounter_status {
    boundary(|| {
        // SAFETY: NULL or valid, by the caller's contract.
        let counter = unsafe { counter_ref(counter, "counter") }?;
        // SAFETY: valid for `agent_id_len` bytes, by the caller's contract.
        let agent_id = unsafe { agent_id_from_len(agent_id, agent_id_len) }?;
        let out_value = out_param(out_value, "out_value")?;
        // SAFETY: checked non-NULL; writable by the caller's contract.
        unsafe { out_value.write(counter.value_for(agent_id)) };
        Ok(())
    })
}

/// The number of agents whose count is above 0; 0 for NULL.
///
/// # Safety
/// `counter` is NULL or a live counter that no call mutates meanwhile.
#[no_mangle]
pub unsafe extern "C" fn gcounter_agent_count(counter: *const gcounter_t) -> usize {
    boundary_value(0, || {
        // SAFETY: NULL or valid, by the caller's contract.
        Ok(unsafe { counter_ref(counter, "counter") }?.agent_count())
    })
}

/// Whether every agent has the same count in `a` and `b` (absent counts as 0); false if
/// either is NULL.
///
/// # Safety
/// Each is NULL or a live counter that no call mutates meanwhile.
#[no_mangle]
pub unsafe extern "C" fn gcounter_equivalent(a: *const gcounter_t, b: *const gcounter_t) -> bool {
    boundary_value(false, || {
        // SAFETY: NULL or valid, by the caller's contract.
        let (a, b) = unsafe { (counter_ref(a, "a")?, counter_ref(b, "b")?) };
        Ok(a.equivalent(b))
    })
}

/// Writes the lattice order of `a` and `b` to `*out_order` (see `gcounter_order`). A replica
/// that is `GCOUNTER_ORDER_LESS` than its peer has nothing to send it.
///
/// Returns `GCOUNTER_OK`, or `GCOUNTER_ERR_NULL_POINTER` if an argument is NULL.
///
/// # Safety
/// `a`, `b` are NULL or live counters that no call mutates meanwhile; `out_order` is NULL or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn gcounter_compare(
    a: *const gcounter_t,
    b: *const gcounter_t,
    out_order: *mut gcounter_order,
) -> gcounter_status {
    boundary(|| {
        // SAFETY: NULL or valid, by the caller's contract.
        let (a, b) = unsafe { (counter_ref(a, "a")?, counter_ref(b, "b")?) };
        let out_order = out_param(out_order, "out_order")?;
        let order = match a.partial_cmp(b) {
            Some(std::cmp::Ordering::Equal) => gcounter_order::GCOUNTER_ORDER_EQUAL,
            Some(std::cmp::Ordering::Less) => gcounter_order::GCOUNTER_ORDER_LESS,
            Some(std::cmp::Ordering::Greater) => gcounter_order::GCOUNTER_ORDER_GREATER,
            None => gcounter_order::GCOUNTER_ORDER_CONCURRENT,
        };
        // SAFETY: checked non-NULL; writable by the caller's contract.
        unsafe { out_order.write(order) };
        Ok(())
    })
}

/// Writes the canonical JSON of `counter` to `*out_json` (NUL-terminated, owned by the caller:
/// free it with `gcounter_string_free`, never with `free`) and its length in bytes, without the
/// NUL, to `*out_len` unless `out_len` is NULL.
///
/// Canonical: one object, no whitespace, members sorted by agent id in UTF-8 byte order, only
/// counts above 0, as Python's `json.dumps(d, sort_keys=True, separators=(",", ":"),
/// ensure_ascii=False)`. The output never contains a NUL byte.
///
/// Returns `GCOUNTER_OK`, or `GCOUNTER_ERR_NULL_POINTER` if `counter` or `out_json` is NULL.
///
/// # Safety
/// `counter` is NULL or a live counter that no call mutates meanwhile; `out_json` and
/// `out_len` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn gcounter_to_json(
    counter: *const gcounter_t,
    out_json: *mut *mut c_char,
    out_len: *mut usize,
) -> gcounter_status {
    boundary(|| {
        // SAFETY: NULL or valid, by the caller's contract.
        let counter = unsafe { counter_ref(counter, "counter") }?;
        let out_json = out_param(out_json, "out_json")?;
        let json = counter.to_json();
        let len = json.len();
        debug_assert!(!json.contains('\0'));
        // SAFETY: the canonical JSON escapes every NUL, so the bytes hold none.
        let json = unsafe { CString::from_vec_unchecked(json.into_bytes()) };
        if !out_len.is_null() {
            // SAFETY: checked non-NULL; writable by the caller's contract.
            unsafe { out_len.write(len) };
        }
        // SAFETY: checked non-NULL; writable by the caller's contract.
        unsafe { out_json.write(json.into_raw()) };
        Ok(())
    })
}

/// Frees a string from `gcounter_to_json`. NULL is a no-op.
///
/// # Safety
/// `json` is NULL or a string from `gcounter_to_json` not yet freed.
#[no_mangle]
pub unsafe extern "C" fn gcounter_string_free(json: *mut c_char) {
    boundary(|| {
        if !json.is_null() {
            // SAFETY: a pointer from `CString::into_raw`, handed back once by the caller.
            drop(unsafe { CString::from_raw(json) });
        }
        Ok(())
    });
}

/// Parses `json_len` bytes of `json` as the wire format into a new counter, written to
/// `*out_counter` and owned by the caller (free it with `gcounter_free`). The new counter's
/// delta record is empty.
///
/// Accepts any JSON text whose value is one object of integer counts from 0 to `UINT64_MAX`
/// (any whitespace, member order and escapes; 0 means absent). Rejects with
/// `GCOUNTER_ERR_INVALID_JSON` and a message naming the byte and the reason: input that is not
/// UTF-8 or not JSON, empty input, a top-level value that is not an object, a count that is not
/// a non-negative integer (`-1`, `1.5`, `1.0`, `1e3`, `"1"`, `null`, `true`, arrays, objects), a
/// count above `UINT64_MAX`, a duplicated agent id (however escaped), a lone surrogate escape,
/// anything after the object. `-0` is refused (counts carry no sign), and so is a leading byte
/// order mark, which RFC 8259 does not allow a writer to emit.
///
/// `GCOUNTER_ERR_NULL_POINTER` if `out_counter` is NULL, or `json` is NULL with `json_len > 0`.
///
/// # Safety
/// `json` valid for `json_len` bytes; `out_counter` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn gcounter_from_json(
    json: *const c_char,
    json_len: usize,
    out_counter: *mut *mut gcounter_t,
) -> gcounter_status {
    boundary(|| {
        // SAFETY: valid for `json_len` bytes, by the caller's contract.
        let json = unsafe { byte_slice(json, json_len, "json") }?;
        let out_counter = out_param(out_counter, "out_counter")?;
        let counter = GCounter::from_json(json)?;
        // SAFETY: checked non-NULL; writable by the caller's contract.
        unsafe { out_counter.write(gcounter_t::boxed(counter)) };
        Ok(())
    })
}

/// Moves the delta record of `counter` into a new counter, written to `*out_delta` and owned by
/// the caller (free it with `gcounter_free`): for every slot that rose since the last
/// `gcounter_take_delta` (or since `counter` was made), its current count. The record of
/// `counter` is empty afterwards.
///
/// A slot rises by `gcounter_increment`, `gcounter_join` or `gcounter_join_json`. Joining the
/// deltas a replica takes, in any order and any number of times, into a peer that had the
/// replica's earlier state gives the same result as joining the replica's full state.
///
/// Returns `GCOUNTER_OK`, or `GCOUNTER_ERR_NULL_POINTER` if an argument is NULL (then the
/// record is kept).
///
/// # Safety
/// `counter` is NULL or a live counter that no other call uses meanwhile; `out_delta` is NULL
/// or writable.
#[no_mangle]
pub unsafe extern "C" fn gcounter_take_delta(
    counter: *mut gcounter_t,
    out_delta: *mut *mut gcounter_t,
) -> gcounter_status {
    boundary(|| {
        // SAFETY: NULL or valid, by the caller's contract.
        let counter = unsafe { counter_mut(counter, "counter") }?;
        let out_delta = out_param(out_delta, "out_delta")?;
        let delta = counter.take_delta();
        // SAFETY: checked non-NULL; writable by the caller's contract.
        unsafe { out_delta.write(gcounter_t::boxed(delta)) };
        Ok(())
    })
}
