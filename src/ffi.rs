//! The C ABI: the only module that knows C. cbindgen turns it into `include/gcounter.h`, and
//! these doc comments become the header's documentation.
//!
//! Each exported function checks its pointers, converts its arguments, calls the core and maps
//! the result, inside `boundary`, which catches panics and records the error message. A pointer
//! argument becomes Rust through one macro per kind (a handle, bytes and a length, a
//! NUL-terminated string, an out-parameter), each holding the one `unsafe` block of that
//! conversion; core errors map to statuses in one place (`Failure::from`).

#![allow(non_camel_case_types)]
#![deny(unsafe_op_in_unsafe_fn)]

mod boundary;
mod c_string;

use std::ffi::{c_char, CStr};
use std::mem::MaybeUninit;
use std::ptr;

use boundary::{
    agent_id_from, boundary, boundary_value, bytes_arg, c_str_arg, counter_mut, counter_ref,
    out_arg, Failure,
};

use crate::GCounter;

/// The outcome of a call. The numeric values are part of the ABI and never change.
/// gcounter_status_str() names each; gcounter_last_error_message() gives the detail.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum gcounter_status {
    /// Success.
    GCOUNTER_OK = 0,
    /// A required pointer argument was NULL.
    GCOUNTER_ERR_NULL_POINTER = 1,
    /// An argument is out of its range, e.g. an increment by 0.
    GCOUNTER_ERR_INVALID_ARGUMENT = 2,
    /// An agent id is not valid UTF-8.
    GCOUNTER_ERR_INVALID_UTF8 = 3,
    /// A slot or the total would exceed UINT64_MAX.
    GCOUNTER_ERR_OVERFLOW = 4,
    /// The input is not the JSON wire format.
    GCOUNTER_ERR_INVALID_JSON = 5,
    /// An internal bug, caught at the boundary; please report it with the message.
    GCOUNTER_ERR_PANIC = 6,
}

pub use gcounter_status::*;

/// The text of each status, as `gcounter_status_str` returns it.
macro_rules! status_texts {
    ($($status:ident => $text:literal,)*) => {
        impl gcounter_status {
            /// The status whose code is `code`, if there is one.
            fn from_code(code: status_code) -> Option<Self> {
                [$($status),*].into_iter().find(|&status| status as status_code == code)
            }

            /// A short static description; the match makes a status without one a compile
            /// error, and so `from_code` knows every status.
            fn text(self) -> &'static CStr {
                match self {
                    $($status => $text,)*
                }
            }
        }
    };
}

status_texts! {
    GCOUNTER_OK => c"ok",
    GCOUNTER_ERR_NULL_POINTER => c"a required pointer argument was NULL",
    GCOUNTER_ERR_INVALID_ARGUMENT => c"invalid argument",
    GCOUNTER_ERR_INVALID_UTF8 => c"an agent id is not valid UTF-8",
    GCOUNTER_ERR_OVERFLOW => c"a slot or the total would exceed UINT64_MAX",
    GCOUNTER_ERR_INVALID_JSON => c"input is not the gcounter JSON wire format",
    GCOUNTER_ERR_PANIC => c"internal error caught at the library boundary",
}

/// A status as C passes it in: any integer, since an out-of-range value of a Rust enum is
/// undefined behaviour. The header calls this type `gcounter_status` (see `cbindgen.toml`).
pub type status_code = u32;

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

/// The version of the library, e.g. `"0.2.0"`: a static string, never freed.
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
pub extern "C" fn gcounter_status_str(status: status_code) -> *const c_char {
    gcounter_status::from_code(status)
        .map_or(c"unknown gcounter_status code", gcounter_status::text)
        .as_ptr()
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
    boundary::last_error_message()
}

/// A new, empty counter, owned by the caller: free it with `gcounter_free`.
///
/// Returns NULL only if an internal error was caught (see `gcounter_last_error_message`).
#[no_mangle]
pub extern "C" fn gcounter_new() -> *mut gcounter_t {
    boundary_value(ptr::null_mut(), || Ok(gcounter_t::boxed(GCounter::new())))
}

/// Frees a counter from `gcounter_new`, `gcounter_clone`, `gcounter_from_json`,
/// `gcounter_take_delta` or `gcounter_delta_for`. NULL is a no-op.
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
        Ok(gcounter_t::boxed(counter_ref!(counter).clone()))
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
    boundary(|| increment(counter_mut!(counter), c_str_arg!(agent_id), by))
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
        increment(
            counter_mut!(counter),
            bytes_arg!(agent_id, agent_id_len),
            by,
        )
    })
}

/// The body of `gcounter_increment` and `gcounter_increment_len`.
fn increment(counter: &mut GCounter, agent_id: &[u8], by: u64) -> Result<(), Failure> {
    Ok(counter.increment(agent_id_from(agent_id)?, by)?)
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
        if ptr::eq(into, other) && !into.is_null() {
            // A join with itself is the identity; taking `&mut` and `&` to one counter is not
            // allowed, so stop here.
            return Ok(());
        }
        counter_mut!(into).join(counter_ref!(other));
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
    boundary(|| Ok(counter_mut!(into).join_json(bytes_arg!(json, json_len))?))
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
        let (counter, out_value) = (counter_ref!(counter), out_arg!(out_value));
        let total = counter.value();
        let total = u64::try_from(total).map_err(|_| {
            Failure::new(
                GCOUNTER_ERR_OVERFLOW,
                format!("the total {total} exceeds UINT64_MAX"),
            )
        })?;
        out_value.write(total);
        Ok(())
    })
}

/// Writes the exact sum of all slots as two 64-bit words: the sum is
/// `*out_high * 2^64 + *out_low`. It never overflows (at most 2^32 - 1 slots of at most
/// `UINT64_MAX` each), so a total above `UINT64_MAX`, where `gcounter_value` fails, is read here.
///
/// Returns `GCOUNTER_OK`, or `GCOUNTER_ERR_NULL_POINTER` if an argument is NULL (then neither
/// out-parameter is written).
///
/// # Safety
/// `counter` is NULL or a live counter that no call mutates meanwhile; `out_high` and
/// `out_low` are NULL or writable, and not the same object.
#[no_mangle]
pub unsafe extern "C" fn gcounter_value_exact(
    counter: *const gcounter_t,
    out_high: *mut u64,
    out_low: *mut u64,
) -> gcounter_status {
    boundary(|| {
        let (counter, out_high, out_low) =
            (counter_ref!(counter), out_arg!(out_high), out_arg!(out_low));
        let total = counter.value();
        out_high.write((total >> 64) as u64);
        out_low.write(total as u64);
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
        value_for(
            counter_ref!(counter),
            c_str_arg!(agent_id),
            out_arg!(out_value),
        )
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
        value_for(
            counter_ref!(counter),
            bytes_arg!(agent_id, agent_id_len),
            out_arg!(out_value),
        )
    })
}

/// The body of `gcounter_value_for` and `gcounter_value_for_len`.
fn value_for(
    counter: &GCounter,
    agent_id: &[u8],
    out_value: &mut MaybeUninit<u64>,
) -> Result<(), Failure> {
    out_value.write(counter.value_for(agent_id_from(agent_id)?));
    Ok(())
}

/// The number of agents whose count is above 0; 0 for NULL.
///
/// # Safety
/// `counter` is NULL or a live counter that no call mutates meanwhile.
#[no_mangle]
pub unsafe extern "C" fn gcounter_agent_count(counter: *const gcounter_t) -> usize {
    boundary_value(0, || Ok(counter_ref!(counter).agent_count()))
}

/// Writes the slot at `index` in canonical order (agent ids sorted by their UTF-8 bytes, only
/// counts above 0: the order of `gcounter_to_json`), for `index` from 0 to
/// `gcounter_agent_count(counter) - 1`: a pointer to the agent id's bytes to `*out_agent_id`,
/// their number to `*out_agent_id_len`, and the count (at least 1) to `*out_count`.
///
/// The id's bytes are UTF-8 and NOT NUL-terminated (an id may contain NUL bytes; read exactly
/// `*out_agent_id_len` of them); the pointer is never NULL, also for the empty id. It borrows
/// the counter's storage: it stays valid until the next call that takes `counter` non-const
/// (`gcounter_increment`, `gcounter_join`, `gcounter_take_delta`, ...) or frees it; calls that
/// take it as const (`gcounter_slot_at` included) leave it valid. Never free it.
///
/// Slots are kept in this order, so a call takes O(1); after agents were added one at a time
/// since the last join, `gcounter_take_delta` or load, the first call sorts those and maps
/// every position (O(n log n) at most), and later calls take O(1): walking every slot costs
/// O(n). Like every const call, it may run concurrently with other const calls on the same
/// counter (the first call's sort is published through a `std::sync::OnceLock`).
///
/// Returns `GCOUNTER_OK`; `GCOUNTER_ERR_NULL_POINTER` if a pointer argument is NULL;
/// `GCOUNTER_ERR_INVALID_ARGUMENT` if `index` is not below `gcounter_agent_count(counter)`.
/// On error nothing is written.
///
/// # Safety
/// `counter` is NULL or a live counter that no call mutates meanwhile; `out_agent_id`,
/// `out_agent_id_len` and `out_count` are NULL or writable, and no two of them overlap.
#[no_mangle]
pub unsafe extern "C" fn gcounter_slot_at(
    counter: *const gcounter_t,
    index: usize,
    out_agent_id: *mut *const c_char,
    out_agent_id_len: *mut usize,
    out_count: *mut u64,
) -> gcounter_status {
    boundary(|| {
        let counter = counter_ref!(counter);
        let (out_agent_id, out_agent_id_len, out_count) = (
            out_arg!(out_agent_id),
            out_arg!(out_agent_id_len),
            out_arg!(out_count),
        );
        let (agent_id, count) = counter.slot_at(index).ok_or_else(|| {
            Failure::new(
                GCOUNTER_ERR_INVALID_ARGUMENT,
                format!(
                    "slot index {index} is out of range: the counter has {} slots",
                    counter.agent_count()
                ),
            )
        })?;
        out_agent_id.write(agent_id.as_ptr().cast());
        out_agent_id_len.write(agent_id.len());
        out_count.write(count);
        Ok(())
    })
}

/// Whether every agent has the same count in `a` and `b` (absent counts as 0); false if
/// either is NULL.
///
/// # Safety
/// Each is NULL or a live counter that no call mutates meanwhile.
#[no_mangle]
pub unsafe extern "C" fn gcounter_equivalent(a: *const gcounter_t, b: *const gcounter_t) -> bool {
    boundary_value(false, || Ok(counter_ref!(a).equivalent(counter_ref!(b))))
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
        let (a, b, out_order) = (counter_ref!(a), counter_ref!(b), out_arg!(out_order));
        out_order.write(match a.partial_cmp(b) {
            Some(std::cmp::Ordering::Equal) => gcounter_order::GCOUNTER_ORDER_EQUAL,
            Some(std::cmp::Ordering::Less) => gcounter_order::GCOUNTER_ORDER_LESS,
            Some(std::cmp::Ordering::Greater) => gcounter_order::GCOUNTER_ORDER_GREATER,
            None => gcounter_order::GCOUNTER_ORDER_CONCURRENT,
        });
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
/// The string is the caller's to read and write (a parser such as `strtok` writes NULs into
/// it): `gcounter_string_free` frees it correctly whatever it holds by then.
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
        let (counter, out_json) = (counter_ref!(counter), out_arg!(out_json));
        let out_len = out_arg!(optional out_len);
        let (json, len) = c_string::new(|out| counter.write_json(out));
        if let Some(out_len) = out_len {
            out_len.write(len);
        }
        out_json.write(json);
        Ok(())
    })
}

/// Frees a string from `gcounter_to_json`, whatever the caller wrote into it. NULL is a no-op.
///
/// # Safety
/// `json` is NULL or a string from `gcounter_to_json` not yet freed.
#[no_mangle]
pub unsafe extern "C" fn gcounter_string_free(json: *mut c_char) {
    boundary(|| {
        if !json.is_null() {
            // SAFETY: a string from `gcounter_to_json`, handed back once, by the caller's contract.
            unsafe { c_string::free(json) };
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
/// UTF-8 or not JSON, empty or whitespace-only input, a top-level value that is not an object, a
/// count that is not a non-negative integer (`-1`, `1.5`, `1.0`, `1e3`, `"1"`, `null`, `true`,
/// arrays, objects) or is a malformed number (`-`, `1.`, `1e`), a count above `UINT64_MAX`, a
/// duplicated agent id (however escaped), a lone surrogate escape, anything after the object.
/// `-0` is refused (counts carry no sign), and so is a leading byte order mark, which RFC 8259
/// does not allow a writer to emit. The message names the first problem in document order (an
/// unterminated string at its opening quote), and a character by its code point, e.g.
/// `found a byte order mark (U+FEFF)`.
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
        let (json, out_counter) = (bytes_arg!(json, json_len), out_arg!(out_counter));
        out_counter.write(gcounter_t::boxed(GCounter::from_json(json)?));
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
        let (counter, out_delta) = (counter_mut!(counter), out_arg!(out_delta));
        out_delta.write(gcounter_t::boxed(counter.take_delta()));
        Ok(())
    })
}

/// What `peer` lacks of `counter`: a new counter, written to `*out_delta` and owned by the
/// caller (free it with `gcounter_free`), that holds `counter`'s count for every agent whose
/// count there is above its count in `peer`, and nothing else.
///
/// Joining it into any copy of `peer` gives the same counter as joining `counter` itself, and
/// it is empty exactly when `counter` is `GCOUNTER_ORDER_EQUAL` or `GCOUNTER_ORDER_LESS` than
/// `peer`. A replica that has just read a peer's state (`gcounter_from_json`) replies with
/// `gcounter_delta_for(mine, theirs)`: anti-entropy that sends only what the peer lacks.
///
/// Neither argument changes, and the delta record of neither is touched (see
/// `gcounter_take_delta`); the new counter's record is empty. `counter == peer` is allowed and
/// gives an empty counter.
///
/// Returns `GCOUNTER_OK`, or `GCOUNTER_ERR_NULL_POINTER` if an argument is NULL.
///
/// # Safety
/// `counter` and `peer` are NULL or live counters that no call mutates meanwhile; `out_delta`
/// is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn gcounter_delta_for(
    counter: *const gcounter_t,
    peer: *const gcounter_t,
    out_delta: *mut *mut gcounter_t,
) -> gcounter_status {
    boundary(|| {
        let (counter, peer, out_delta) = (
            counter_ref!(counter),
            counter_ref!(peer),
            out_arg!(out_delta),
        );
        out_delta.write(gcounter_t::boxed(counter.delta_for(peer)));
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_its_code_and_a_text_of_its_own() {
        let statuses: Vec<gcounter_status> =
            (0..=6).filter_map(gcounter_status::from_code).collect();
        assert_eq!(statuses.len(), 7);
        for (code, status) in statuses.iter().enumerate() {
            assert_eq!(*status as u32, code as u32);
            assert!(!status.text().is_empty());
        }
        let mut texts: Vec<&CStr> = statuses.iter().map(|status| status.text()).collect();
        texts.sort();
        texts.dedup();
        assert_eq!(texts.len(), 7, "each status has a text of its own");
        for unknown in [7, 8, 1000, u32::MAX] {
            assert_eq!(gcounter_status::from_code(unknown), None);
            // SAFETY: a static NUL-terminated string.
            let text = unsafe { CStr::from_ptr(gcounter_status_str(unknown)) };
            assert_eq!(text, c"unknown gcounter_status code");
        }
    }
}
