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
use std::sync::atomic::{AtomicUsize, Ordering};

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

/// The message of the last failed call on one thread, NUL-terminated; empty after a success.
struct LastError(RefCell<Vec<u8>>);

thread_local! {
    static LAST_ERROR: LastError = const { LastError(RefCell::new(Vec::new())) };
}

/// How many threads hold a message. While none does, a successful call has nothing to clear
/// and skips the thread-local slot (in a shared library each reach into it is a call into the
/// dynamic loader). A thread with a message counted itself here before, so it never reads 0
/// until it has cleared its own: `Relaxed` is enough, each thread reading its own writes.
static HOLDING: AtomicUsize = AtomicUsize::new(0);

impl Drop for LastError {
    fn drop(&mut self) {
        if !self.0.get_mut().is_empty() {
            HOLDING.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

#[inline]
fn record_success() {
    if HOLDING.load(Ordering::Relaxed) == 0 {
        return;
    }
    // `try_with`: a call from a thread-local destructor finds the slot gone; there is nothing
    // to clear then.
    let _ = LAST_ERROR.try_with(|last| {
        let mut last = last.0.borrow_mut();
        if !last.is_empty() {
            last.clear();
            HOLDING.fetch_sub(1, Ordering::Relaxed);
        }
    });
}

fn record_failure(message: &str) {
    let _ = LAST_ERROR.try_with(|last| {
        let mut last = last.0.borrow_mut();
        if last.is_empty() {
            HOLDING.fetch_add(1, Ordering::Relaxed);
        }
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
            let last = last.0.borrow();
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
    if is_ascii(bytes) {
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

/// Whether `bytes` are all ASCII: for up to 16 bytes, the common length of an agent id, two
/// loads that may overlap and one test of their high bits; longer, the standard library's scan.
#[inline(always)]
fn is_ascii(bytes: &[u8]) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let len = bytes.len();
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap());
    let half = |at: usize| u64::from(u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()));
    match len {
        8..=16 => (word(0) | word(len - 8)) & HIGH == 0,
        4..=7 => (half(0) | half(len - 4)) & HIGH == 0,
        0..=3 => bytes.iter().all(|&b| b < 0x80),
        _ => bytes.is_ascii(),
    }
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

#[cfg(test)]
mod tests {
    use super::is_ascii;

    #[test]
    fn is_ascii_finds_a_high_byte_at_every_place_of_every_length() {
        for len in 0..40 {
            let plain = vec![b'a'; len];
            assert!(is_ascii(&plain), "{len} ASCII bytes");
            for at in 0..len {
                for high in [0x80, 0xc3, 0xff] {
                    let mut bytes = plain.clone();
                    bytes[at] = high;
                    assert!(!is_ascii(&bytes), "{high:#x} at {at} of {len}");
                }
            }
        }
    }
}
