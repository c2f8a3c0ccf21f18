//! Strings the library hands to C (`gcounter_to_json`) and takes back to free
//! (`gcounter_string_free`).
//!
//! The caller owns its string and may write into it (a parser such as `strtok` writes NULs), so
//! the string's contents cannot tell its size when it is freed. Each block therefore records
//! its size in a header just before the string, and is freed by that size.

use std::ffi::c_char;
use std::mem::ManuallyDrop;

/// The bytes before the string: the capacity of the block, in native byte order.
const HEADER: usize = std::mem::size_of::<usize>();

/// A new NUL-terminated string of the bytes that `write` appends (none of them NUL) and its
/// length without the NUL; free it with [`free`].
pub(crate) fn new(write: impl FnOnce(&mut Vec<u8>)) -> (*mut c_char, usize) {
    let mut block = vec![0; HEADER];
    write(&mut block);
    debug_assert!(!block[HEADER..].contains(&0), "no NUL inside the string");
    let len = block.len() - HEADER;
    block.push(0);
    // An exact block: a read past the NUL is then outside it, where a sanitizer sees it.
    block.shrink_to_fit();
    let capacity = block.capacity();
    block[..HEADER].copy_from_slice(&capacity.to_ne_bytes());
    let mut block = ManuallyDrop::new(block);
    (block.as_mut_ptr().wrapping_add(HEADER).cast(), len)
}

/// Frees a string from [`new`] by the size its header records, whatever the string holds.
///
/// # Safety
/// `string` comes from [`new`] and is not yet freed; only its bytes from the start to the NUL
/// at its length were written since.
pub(crate) unsafe fn free(string: *mut c_char) {
    // SAFETY: `new` made `string` from a `Vec<u8>` buffer, `HEADER` bytes in, and left the
    // buffer's capacity in those bytes, which the caller has not written.
    unsafe {
        let block = string.cast::<u8>().sub(HEADER);
        let capacity = usize::from_ne_bytes(block.cast::<[u8; HEADER]>().read());
        drop(Vec::from_raw_parts(block, 0, capacity));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_terminated_and_freed_whatever_they_hold() {
        for text in ["", "{}", r#"{"a":1,"b":2}"#] {
            let (string, len) = new(|out| out.extend_from_slice(text.as_bytes()));
            assert_eq!(len, text.len());
            // SAFETY: `len + 1` bytes from `new`, written and freed once here.
            unsafe {
                let bytes = std::slice::from_raw_parts_mut(string.cast::<u8>(), len + 1);
                assert_eq!(&bytes[..len], text.as_bytes());
                assert_eq!(bytes[len], 0);
                bytes.fill(0);
                free(string);
            }
        }
    }
}
