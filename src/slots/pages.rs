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

/// What an allocator may put in front of a block it maps on its own (glibc: 16 bytes), with
/// room to spare.
const HEADER: usize = 64;

/// A vector with room for `capacity` elements, its huge pages advised to be backed as such
/// (see [`advise`]).
pub(super) fn vec_with_capacity<T>(capacity: usize) -> Vec<T> {
    let vec = Vec::with_capacity(capacity);
    advise(vec.as_ptr() as usize, capacity * std::mem::size_of::<T>());
    vec
}

/// [`vec_with_capacity`] for a buffer filled up to an estimate and then shrunk to fit, such
/// as a bulk load's: a large one is rounded up to whole huge pages.
///
/// The block is asked for a little under a whole number of huge pages, so that an allocator
/// that maps it on its own (glibc does from 128 KiB up, until a freed block raises that bar)
/// maps exactly whole huge pages, and Linux (6.7 on) places such a mapping on a huge-page
/// boundary. Every huge page of the buffer is then whole, not just those that happen to fall
/// inside it. The room past `capacity` is written only if the estimate falls short, and is
/// otherwise given back with the rest of the estimate's spare room before the table is used:
/// it costs address space, not memory.
pub(super) fn vec_to_shrink<T>(capacity: usize) -> Vec<T> {
    let size = std::mem::size_of::<T>().max(1);
    let bytes = capacity.saturating_mul(size);
    if bytes < HUGE {
        return Vec::with_capacity(capacity);
    }
    let mapped = (bytes + HEADER).next_multiple_of(HUGE) - HEADER;
    let vec = Vec::with_capacity(mapped / size);
    advise(vec.as_ptr() as usize, bytes);
    vec
}

/// Advises the whole huge pages among the `bytes` of a buffer at address `start` to be backed
/// as such, for a buffer about to be written for the first time; and the huge page the
/// buffer starts in, if it starts just past a huge-page boundary (see below).
fn advise(start: usize, bytes: usize) {
    if bytes < HUGE {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        /// `MADV_COLLAPSE` (Linux 6.1 on; older kernels refuse it, which changes nothing).
        const MADV_COLLAPSE: libc::c_int = 25;
        // A block that starts just past a huge-page boundary is most likely one the allocator
        // mapped on its own, its header before it: that huge page is then the buffer's too.
        // (If not, a neighbouring block's memory is backed by a huge page too; nothing else.)
        let mapped_alone = start % HUGE <= HEADER;
        let first = if mapped_alone {
            start - start % HUGE
        } else {
            start.next_multiple_of(HUGE)
        };
        // Advice on a range must start on a page.
        let end = (start + bytes) & !(HUGE - 1);
        if end > first {
            // SAFETY: MADV_HUGEPAGE and MADV_COLLAPSE only change how the kernel backs the
            // pages of a range (one not mapped is refused), never their contents, protection
            // or what is mapped where.
            unsafe {
                let first = first as *mut libc::c_void;
                libc::madvise(first, end - first as usize, libc::MADV_HUGEPAGE);
                // The allocator wrote its header there, so that page already has small pages,
                // and a write would only add more: made one huge page now, as a fault would.
                if mapped_alone {
                    libc::madvise(first, HUGE, MADV_COLLAPSE);
                }
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = start;
}
