//! How a call crosses the C boundary: panics caught, the status and the thread's error message
//! recorded, and each kind of pointer argument turned into Rust by one macro that holds its one
//! `unsafe` block.
//!
//! The macros expand inside an exported `unsafe extern "C" fn`, in the closure given to
//! [`boundary`]: their `unsafe` blocks rest on that function's documented contract (each pointer
//! NULL or valid as its C type says), and a NULL argument makes the call fail with
//! `GCOUNTER_ERR_NULL_POINTER` and a message naming the parameter.

use std::cell::RefCell;
use std::ffi::c_char;
use std::mem::MaybeUninit;
use std::panic::{catch_unwind, AssertUnwindSafe};

use super::gcounter_status::{self, *};
use crate::Error;

/// A failed call: its status and the message for `gcounter_last_error_message`.
pub(crate) struct Failure {
    status: gcounter_status,
    message: String,
}

impl Failure {
    pub(crate) fn new(status: gcounter_status, message: impl Into<String>) -> Self {
        Failure {
            status,
            message: message.into(),
        }
    }

    pub(crate) fn null(argument: &str) -> Self {
        Failure::new(
            GCOUNTER_ERR_NULL_POINTER,
            format!("argument '{argument}' is NULL"),
        )
    }
}

/// The one mapping from core errors to statuses.
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

/// The thread's last message, NUL-terminated (`""` after a success); valid until the thread's
/// next call that records an outcome.
pub(crate) fn last_error_message() -> *const c_char {
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

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let detail = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("no message");
    format!("internal error (a bug in libgcounter, please report it): {detail}")
}

/// Runs one exported call: catches panics, records the message, returns the status.
pub(crate) fn boundary(call: impl FnOnce() -> Result<(), Failure>) -> gcounter_status {
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
pub(crate) fn boundary_value<T>(fallback: T, call: impl FnOnce() -> Result<T, Failure>) -> T {
    let mut result = None;
    boundary(|| {
        result = Some(call()?);
        Ok(())
    });
    result.unwrap_or(fallback)
}

/// An agent id from its bytes: UTF-8, or `GCOUNTER_ERR_INVALID_UTF8`.
pub(crate) fn agent_id_from(bytes: &[u8]) -> Result<&str, Failure> {
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

/// Checks a `(pointer, length)` argument before [`bytes_arg!`] reads it: NULL is allowed only
/// with a length of 0, and no object is longer than `isize::MAX` bytes.
pub(crate) fn check_bytes(
    pointer: *const c_char,
    len: usize,
    argument: &str,
) -> Result<(), Failure> {
    if len > 0 && pointer.is_null() {
        return Err(Failure::null(argument));
    }
    if len > isize::MAX as usize {
        return Err(Failure::new(
            GCOUNTER_ERR_INVALID_ARGUMENT,
            format!("the length of '{argument}' ({len}) is larger than any object"),
        ));
    }
    Ok(())
}

/// The place behind an out-parameter, typed as memory that may hold anything yet.
pub(crate) fn uninit<T>(pointer: *mut T) -> *mut MaybeUninit<T> {
    pointer.cast()
}

/// `counter_ref!(name)`: the counter behind a `const gcounter_t *` parameter, or a NULL
/// failure naming it.
macro_rules! counter_ref {
    ($handle:ident) => {{
        let handle: *const $crate::ffi::gcounter_t = $handle;
        // SAFETY: NULL or a live handle no call mutates meanwhile (the exported fn's contract).
        match unsafe { handle.as_ref() } {
            Some(handle) => &handle.counter,
            None => return Err($crate::ffi::boundary::Failure::null(stringify!($handle))),
        }
    }};
}

/// `counter_mut!(name)`: the counter behind a `gcounter_t *` parameter, or a NULL failure
/// naming it.
macro_rules! counter_mut {
    ($handle:ident) => {{
        let handle: *mut $crate::ffi::gcounter_t = $handle;
        // SAFETY: NULL or a live handle no other call uses meanwhile (the exported fn's contract).
        match unsafe { handle.as_mut() } {
            Some(handle) => &mut handle.counter,
            None => return Err($crate::ffi::boundary::Failure::null(stringify!($handle))),
        }
    }};
}

/// `bytes_arg!(pointer, len)`: the bytes of a `(const char *, size_t)` parameter pair; a
/// length of 0 takes any pointer, NULL included.
macro_rules! bytes_arg {
    ($pointer:ident, $len:ident) => {{
        let (pointer, len): (*const ::std::ffi::c_char, usize) = ($pointer, $len);
        $crate::ffi::boundary::check_bytes(pointer, len, stringify!($pointer))?;
        if len == 0 {
            &[][..]
        } else {
            // SAFETY: checked non-NULL; readable for `len` bytes (the exported fn's contract).
            unsafe { ::std::slice::from_raw_parts(pointer.cast::<u8>(), len) }
        }
    }};
}

/// `c_str_arg!(pointer)`: the bytes of a NUL-terminated `const char *` parameter, without the
/// NUL.
macro_rules! c_str_arg {
    ($pointer:ident) => {{
        let pointer: *const ::std::ffi::c_char = $pointer;
        if pointer.is_null() {
            return Err($crate::ffi::boundary::Failure::null(stringify!($pointer)));
        }
        // SAFETY: checked non-NULL; NUL-terminated (the exported fn's contract).
        unsafe { ::std::ffi::CStr::from_ptr(pointer) }.to_bytes()
    }};
}

/// `out_arg!(name)`: the place behind an out-parameter, to `write` once the call has
/// succeeded, or a NULL failure naming it; `out_arg!(optional name)`: `None` for NULL.
macro_rules! out_arg {
    (optional $pointer:ident) => {{
        let pointer = $crate::ffi::boundary::uninit($pointer);
        // SAFETY: NULL or writable (the exported fn's contract); MaybeUninit never reads it.
        unsafe { pointer.as_mut() }
    }};
    ($pointer:ident) => {
        match out_arg!(optional $pointer) {
            Some(place) => place,
            None => return Err($crate::ffi::boundary::Failure::null(stringify!($pointer))),
        }
    };
}

pub(crate) use {bytes_arg, c_str_arg, counter_mut, counter_ref, out_arg};
