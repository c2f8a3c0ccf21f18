//! A counting global allocator: the live heap of the whole process, for the memory table.
//!
//! Two figures are kept: the bytes asked for, and the footprint, which adds what glibc's malloc
//! spends on each block (its rounding and its 8-byte header). Many small blocks (a `String` per
//! agent) cost more than their requested size suggests, so the footprint is the fair figure to
//! compare structures by; the requested bytes are printed beside it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct CountingAllocator;

static REQUESTED: AtomicUsize = AtomicUsize::new(0);
static FOOTPRINT: AtomicUsize = AtomicUsize::new(0);

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn block_footprint(pointer: *mut u8, _requested: usize) -> usize {
    extern "C" {
        fn malloc_usable_size(pointer: *mut u8) -> usize;
    }
    // SAFETY: `pointer` is a live block from the system allocator, which is glibc's malloc.
    unsafe { malloc_usable_size(pointer) + std::mem::size_of::<usize>() }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn block_footprint(_pointer: *mut u8, requested: usize) -> usize {
    requested
}

fn count_in(pointer: *mut u8, size: usize) {
    if !pointer.is_null() {
        REQUESTED.fetch_add(size, Ordering::Relaxed);
        FOOTPRINT.fetch_add(block_footprint(pointer, size), Ordering::Relaxed);
    }
}

fn count_out(pointer: *mut u8, size: usize) {
    REQUESTED.fetch_sub(size, Ordering::Relaxed);
    FOOTPRINT.fetch_sub(block_footprint(pointer, size), Ordering::Relaxed);
}

// SAFETY: every call is forwarded to `System` unchanged; only counters are updated around it.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded contract.
        let pointer = unsafe { System.alloc(layout) };
        count_in(pointer, layout.size());
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded contract.
        let pointer = unsafe { System.alloc_zeroed(layout) };
        count_in(pointer, layout.size());
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        count_out(pointer, layout.size());
        // SAFETY: forwarded contract.
        unsafe { System.dealloc(pointer, layout) }
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old_footprint = block_footprint(pointer, layout.size());
        // SAFETY: forwarded contract.
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            REQUESTED.fetch_sub(layout.size(), Ordering::Relaxed);
            FOOTPRINT.fetch_sub(old_footprint, Ordering::Relaxed);
            count_in(moved, new_size);
        }
        moved
    }
}

/// The live heap now: `(requested bytes, footprint bytes)`.
pub fn live() -> (usize, usize) {
    (
        REQUESTED.load(Ordering::Relaxed),
        FOOTPRINT.load(Ordering::Relaxed),
    )
}

/// The heap that `build` leaves alive in what it returns, per slot: `(requested, footprint)`.
pub fn per_slot<T>(slots: usize, build: impl FnOnce() -> T) -> (T, f64, f64) {
    let (requested_before, footprint_before) = live();
    let built = build();
    let (requested_after, footprint_after) = live();
    let per = |after: usize, before: usize| (after - before) as f64 / slots as f64;
    (
        built,
        per(requested_after, requested_before),
        per(footprint_after, footprint_before),
    )
}
