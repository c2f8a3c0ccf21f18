//! Fresh memory for large tables, backed by huge pages where the kernel offers them.
//!
//! A join that doubles a counter of a million agents writes tens of megabytes that no table
//! held before. On Linux each fresh 4 KiB page costs a fault, and on a virtual machine the
//! faults, not the copying, take most of such a join's time. Asking for transparent huge
//! pages (`madvise(MADV_HUGEPAGE)`) on a buffer before it is first written makes that one
//! fault per 2 MiB. The advice changes how the kernel backs the pages, never what they hold:
//! where the kernel has huge pages switched off, or elsewhere than Linux, nothing changes.

/// The size of a huge page on x86-64 and on most arm64 kernels.
const HUGE: usize = 2 << 20;

/// A vector with room for `capacity` elements, its memory advised to be backed by huge pages
/// where it holds whole ones.
pub(super) fn vec_with_capacity<T>(capacity: usize) -> Vec<T> {
    let vec = Vec::with_capacity(capacity);
    advise(&vec);
    vec
}

/// Advises the whole huge pages in `vec`'s capacity to be backed as such: for a buffer about
/// to be written for the first time.
pub(super) fn advise<T>(vec: &Vec<T>) {
    let bytes = vec.capacity() * std::mem::size_of::<T>();
    if bytes < HUGE {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        let start = vec.as_ptr() as usize;
        // The whole huge pages inside the buffer: advice on a range must start on a page.
        let first = start.next_multiple_of(HUGE);
        let end = (start + bytes) & !(HUGE - 1);
        if end > first {
            // SAFETY: the range lies inside `vec`'s own allocation, and MADV_HUGEPAGE only
            // changes how the kernel backs those pages, never their contents or mapping.
            unsafe {
                libc::madvise(first as *mut libc::c_void, end - first, libc::MADV_HUGEPAGE);
            }
        }
    }
}
