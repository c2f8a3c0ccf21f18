//! `gcounter_string_free` frees a string from `gcounter_to_json` by the size it was allocated
//! with, whatever the caller wrote into it: a parser such as `strtok` writes NULs.
//!
//! The system allocator does not check the size given to a deallocation, so this binary runs on
//! an allocator that does: it records each block's size beside the block and counts every
//! deallocation (or reallocation) that names another size.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::ffi::c_char;
use std::ptr;

use gcounter::ffi::*;

/// The system allocator, with each block's size recorded just before the block.
struct SizeChecking;

thread_local! {
    /// Deallocations on this thread whose size differed from the allocation's (tests run on
    /// threads of their own, so each counts only its own), and the last such pair of sizes.
    static MISMATCHES: Cell<usize> = const { Cell::new(0) };
    static LAST_MISMATCH: Cell<Option<(usize, usize)>> = const { Cell::new(None) };
}

impl SizeChecking {
    /// Room before each block for its size, keeping the block's alignment.
    fn head(layout: Layout) -> usize {
        layout.align().max(16)
    }

    fn outer(layout: Layout) -> Layout {
        Layout::from_size_align(layout.size() + Self::head(layout), Self::head(layout))
            .expect("a block and its head fit in a layout")
    }
}

// SAFETY: every block comes from `System` with room before it, and goes back to `System` with
// the layout it was allocated with (the recorded size, whatever the caller says).
unsafe impl GlobalAlloc for SizeChecking {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: `outer` has a non-zero size.
        let base = unsafe { System.alloc(Self::outer(layout)) };
        if base.is_null() {
            return base;
        }
        // SAFETY: the head is at least 16 bytes, aligned to 16 or more: the block starts inside
        // the allocation, and the `usize` before it is aligned and inside the head.
        unsafe {
            let block = base.add(Self::head(layout));
            block.cast::<usize>().sub(1).write(layout.size());
            block
        }
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        // SAFETY: `block` came from `alloc` above, which recorded its size before it.
        let recorded = unsafe { block.cast::<usize>().sub(1).read() };
        if recorded != layout.size() {
            let _ = MISMATCHES.try_with(|count| count.set(count.get() + 1));
            let _ = LAST_MISMATCH.try_with(|last| last.set(Some((recorded, layout.size()))));
        }
        let allocated = Layout::from_size_align(recorded, layout.align()).unwrap();
        // SAFETY: the allocation `alloc` made for this block, with its own layout.
        unsafe { System.dealloc(block.sub(Self::head(allocated)), Self::outer(allocated)) };
    }
}

#[global_allocator]
static ALLOCATOR: SizeChecking = SizeChecking;

fn mismatches() -> usize {
    MISMATCHES.with(Cell::get)
}

/// The allocator catches a block freed by the wrong size (so the tests below can fail).
#[test]
fn the_allocator_counts_a_deallocation_by_another_size() {
    let before = mismatches();
    let layout = Layout::from_size_align(20, 1).unwrap();
    // SAFETY: a block of 20 bytes, freed once (by a wrong size on purpose; the allocator frees
    // it by the recorded one).
    unsafe {
        let block = ALLOCATOR.alloc(layout);
        assert!(!block.is_null());
        ALLOCATOR.dealloc(block, Layout::from_size_align(11, 1).unwrap());
    }
    assert!(mismatches() > before);
}

/// A counter of `agents` agents, its JSON from `gcounter_to_json` (pointer and length).
fn to_json_of(agents: usize) -> (*mut gcounter_t, *mut c_char, usize) {
    let counter = gcounter_new();
    for i in 0..agents {
        let agent_id = format!("agent-{i}\0");
        // SAFETY: a live handle and a NUL-terminated id.
        let status = unsafe { gcounter_increment(counter, agent_id.as_ptr().cast(), 1) };
        assert_eq!(status, GCOUNTER_OK);
    }
    let (mut json, mut len) = (ptr::null_mut(), 0);
    // SAFETY: a live handle and writable out-parameters.
    let status = unsafe { gcounter_to_json(counter, &mut json, &mut len) };
    assert_eq!(status, GCOUNTER_OK);
    (counter, json, len)
}

#[test]
fn a_string_is_freed_by_its_real_size_whatever_the_caller_wrote_into_it() {
    // Small and large outputs take different sizing paths in the writer.
    for agents in [0, 1, 3, 100, 20_000] {
        let (counter, json, len) = to_json_of(agents);
        // SAFETY: the `len + 1` bytes of the caller's own string, written as strtok would: a
        // NUL over every ',' and ':', and over the closing brace.
        unsafe {
            let bytes = std::slice::from_raw_parts_mut(json.cast::<u8>(), len + 1);
            for byte in bytes.iter_mut() {
                if matches!(*byte, b',' | b':' | b'}') {
                    *byte = 0;
                }
            }
            if len > 2 {
                bytes[1] = 0;
            }
        }
        let before = mismatches();
        // SAFETY: the string from `gcounter_to_json`, freed once; then the handle, freed once.
        unsafe {
            gcounter_string_free(json);
            gcounter_free(counter);
        }
        assert_eq!(
            mismatches(),
            before,
            "{agents} agents: a block freed by another size than it was allocated with \
             (recorded, freed as): {:?}",
            LAST_MISMATCH.with(Cell::get)
        );
    }
}

#[test]
fn an_untouched_string_is_freed_by_its_real_size() {
    let (counter, json, _) = to_json_of(10);
    let before = mismatches();
    // SAFETY: the string from `gcounter_to_json` and its handle, each freed once.
    unsafe {
        gcounter_string_free(json);
        gcounter_free(counter);
    }
    assert_eq!(mismatches(), before);
}
