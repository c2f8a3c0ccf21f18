//! The hash index over a table's entries: open addressing with linear probing over `u32`
//! positions, any number of buckets (an id's first bucket is its hash scaled to the length, so
//! the index need not be a power of two and is built with 15/8 buckets a slot), at most 7/8 full.
//!
//! Up to [`TAGGED_UP_TO`] buckets, each bucket also keeps 8 bits of its id's hash beside the
//! position, so that a lookup skips, without reading them, the entries of other ids in its run
//! of buckets: each such read is a cache miss in a large table.

use super::{pages, prefetch, Entry};

/// Marks a free bucket.
pub(super) const EMPTY: u32 = u32::MAX;

/// Indexes of up to this many buckets keep a tag in the top 8 bits of each bucket and the
/// position in the other 24. (Such an index holds at most 7/8 of 2^24 positions, all below
/// 2^24 - 1, so no bucket in use reads as `EMPTY`.) Larger indexes hold plain positions.
/// (The unit tests lower the limit, so that their tables cross it.)
const TAGGED_UP_TO: usize = if cfg!(test) { 1 << 10 } else { 1 << 24 };

/// Indexes of fewer buckets than this (256 KiB of them, which a core's second-level cache
/// holds on the processors measured, once a new index's buckets are marked free) are filled
/// without asking ahead: the bookkeeping would cost more than the misses it overlaps. (The
/// unit tests lower it, so that their tables take both ways.)
const ASK_AHEAD_FROM: usize = if cfg!(test) { 1 << 8 } else { 1 << 16 };

/// How many entries ahead of the one being indexed a rebuild asks for its bucket's memory.
const AHEAD: usize = 64;

#[derive(Clone, Debug, Default)]
pub(super) struct Index {
    buckets: Vec<u32>,
}

/// Where an id of some hash lives in an index: its first bucket, its tag, and the mask of the
/// position bits.
#[derive(Clone, Copy)]
pub(super) struct Slot {
    pub(super) bucket: usize,
    pub(super) tag: u32,
    pub(super) positions: u32,
}

impl Index {
    pub(super) fn len(&self) -> usize {
        self.buckets.len()
    }

    pub(super) fn heap_bytes(&self) -> usize {
        self.buckets.capacity() * std::mem::size_of::<u32>()
    }

    /// The first bucket, tag and position mask of an id of `hash` (the index is not empty).
    #[inline(always)]
    pub(super) fn slot(&self, hash: u64) -> Slot {
        let len = self.buckets.len();
        // The tag comes from the low half of the hash, which the first bucket, taken from the
        // high bits, does not depend on.
        let (tag, positions) = if len <= TAGGED_UP_TO {
            ((hash as u32) & 0xff00_0000, (1 << 24) - 1)
        } else {
            (0, u32::MAX)
        };
        Slot {
            bucket: ((u128::from(hash) * len as u128) >> 64) as usize,
            tag,
            positions,
        }
    }

    #[inline(always)]
    pub(super) fn held(&self, bucket: usize) -> u32 {
        self.buckets[bucket]
    }

    /// The bucket after `bucket`, round the end.
    #[inline(always)]
    pub(super) fn next(&self, bucket: usize) -> usize {
        if bucket + 1 == self.buckets.len() {
            0
        } else {
            bucket + 1
        }
    }

    /// Puts `position` in the free `bucket` of `slot`.
    #[inline(always)]
    pub(super) fn put(&mut self, bucket: usize, slot: Slot, position: usize) {
        debug_assert_eq!(self.buckets[bucket], EMPTY);
        self.buckets[bucket] = slot.tag | position as u32;
    }

    /// Asks the processor to start loading the first bucket of an id of `hash` (a hint).
    #[inline(always)]
    pub(super) fn prefetch(&self, hash: u64) {
        if !self.buckets.is_empty() {
            let bucket = self.slot(hash).bucket;
            prefetch(self.buckets.as_ptr().wrapping_add(bucket).cast());
        }
    }

    /// Whether `entries` entries fit without a rebuild.
    #[inline(always)]
    pub(super) fn has_room_for(&self, entries: usize) -> bool {
        entries * 8 <= self.buckets.len() * 7
    }

    /// Replaces the buckets with an index of `entries`, sized for `room` more. In a large
    /// index each insertion asks for the bucket of the entry `AHEAD` places later, so that the
    /// cache misses overlap instead of following one another.
    pub(super) fn rebuild(&mut self, entries: &[Entry], room: usize, hash: impl Fn(&Entry) -> u64) {
        let len = capacity(entries.len() + room);
        // The old allocation is reused when it is large enough (fresh pages cost a fault each),
        // and what it has beyond the new size is given back. Otherwise it goes first, rather
        // than being copied into a larger one that is then overwritten.
        if self.buckets.capacity() < len || self.buckets.capacity() > 2 * len {
            self.buckets = Vec::new();
            self.buckets = pages::vec_with_capacity(len);
        }
        self.buckets.clear();
        self.buckets.resize(len, EMPTY);
        self.buckets.shrink_to_fit();
        // Each entry's first bucket and what the bucket will hold, worked out `AHEAD` entries
        // early, when its bucket is asked for.
        let tagged = |index: &Index, position: usize, hash: u64| {
            let slot = index.slot(hash);
            (slot.bucket, slot.tag | position as u32)
        };
        if len < ASK_AHEAD_FROM {
            for (position, entry) in entries.iter().enumerate() {
                let (mut bucket, held) = tagged(self, position, hash(entry));
                while self.buckets[bucket] != EMPTY {
                    bucket = self.next(bucket);
                }
                self.buckets[bucket] = held;
            }
            return;
        }
        let mut upcoming = [(0usize, 0u32); AHEAD];
        for (position, entry) in entries.iter().take(AHEAD).enumerate() {
            upcoming[position] = tagged(self, position, hash(entry));
        }
        for &(bucket, _) in upcoming.iter().take(entries.len()) {
            prefetch(self.buckets.as_ptr().wrapping_add(bucket).cast());
        }
        for position in 0..entries.len() {
            let (bucket, held) = upcoming[position % AHEAD];
            if let Some(ahead) = entries.get(position + AHEAD) {
                let next = tagged(self, position + AHEAD, hash(ahead));
                prefetch(self.buckets.as_ptr().wrapping_add(next.0).cast());
                upcoming[position % AHEAD] = next;
            }
            let free = self.first_free(bucket);
            self.buckets[free] = held;
        }
    }

    /// The first free bucket from `bucket` on, round the end (see [`first_free`]).
    #[inline(always)]
    fn first_free(&self, bucket: usize) -> usize {
        let place = self.buckets.as_ptr() as usize / std::mem::size_of::<u32>() % 8;
        first_free(&self.buckets, place, bucket)
    }

    /// The positions held, each with the hash bits its bucket keeps (for tests).
    #[cfg(test)]
    pub(super) fn held_positions(&self) -> impl Iterator<Item = (u32, usize)> + '_ {
        let mask = if self.buckets.len() <= TAGGED_UP_TO {
            (1 << 24) - 1
        } else {
            u32::MAX
        };
        self.buckets
            .iter()
            .filter(|&&held| held != EMPTY)
            .map(move |&held| (held & !mask, (held & mask) as usize))
    }
}

/// The first free bucket of `buckets` from `bucket` on, round the end (there is one: an
/// index is at most 7/8 full); the first bucket lies `place` buckets into a 32-byte block of
/// memory.
///
/// The buckets are looked at eight at a time, so that the search takes one branch, which the
/// processor predicts, rather than one per bucket, which it cannot: a rebuild that tested
/// each bucket in turn spent most of its time on the branches it mispredicted. Each eight lie
/// in one 32-byte block, so in the cache line that was asked for, rather than reaching into
/// the next (which, in a large index, is another cache miss).
#[inline(always)]
fn first_free(buckets: &[u32], place: usize, bucket: usize) -> usize {
    // How far `bucket` lies into its block, and the first bucket of the block.
    let into = (place + bucket) % 8;
    let mut block = bucket.wrapping_sub(into);
    // The bits of the buckets before `bucket` in its block, not to be taken.
    let mut before = (1u32 << into) - 1;
    loop {
        match buckets.get(block..block.wrapping_add(8)) {
            Some(window) => {
                let free = free_buckets(window.try_into().expect("eight buckets")) & !before;
                if free != 0 {
                    return block + free.trailing_zeros() as usize;
                }
                (block, before) = (block + 8, 0);
            }
            // A block cut by either end of the buckets: one bucket at a time, round the end.
            None => {
                let mut bucket = block.wrapping_add(before.count_ones() as usize);
                loop {
                    if bucket == buckets.len() {
                        bucket = 0;
                    }
                    if buckets[bucket] == EMPTY {
                        return bucket;
                    }
                    bucket += 1;
                }
            }
        }
    }
}

/// Which of `window`'s buckets are free: bit `i` of the result for `window[i]`.
#[inline(always)]
fn free_buckets(window: &[u32; 8]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE2 is part of x86-64, and the two unaligned 16-byte loads read the 32 bytes
    // of `window` and nothing else.
    unsafe {
        use std::arch::x86_64::*;
        let at = window.as_ptr().cast::<__m128i>();
        let empty = _mm_set1_epi32(EMPTY as i32);
        let low = _mm_cmpeq_epi32(_mm_loadu_si128(at), empty);
        let high = _mm_cmpeq_epi32(_mm_loadu_si128(at.add(1)), empty);
        let low = _mm_movemask_ps(_mm_castsi128_ps(low)) as u32;
        let high = _mm_movemask_ps(_mm_castsi128_ps(high)) as u32;
        low | high << 4
    }
    #[cfg(not(target_arch = "x86_64"))]
    free_buckets_one_by_one(window)
}

/// [`free_buckets`] without vector instructions.
#[cfg(any(test, not(target_arch = "x86_64")))]
#[inline(always)]
fn free_buckets_one_by_one(window: &[u32; 8]) -> u32 {
    let mut free = 0;
    for (i, &held) in window.iter().enumerate() {
        free |= u32::from(held == EMPTY) << i;
    }
    free
}

/// The number of buckets for `entries` entries: 15/8 a slot (8/15 full), so that the table
/// grows by about two thirds before it is 7/8 full and needs another.
fn capacity(entries: usize) -> usize {
    assert!(
        entries < EMPTY as usize,
        "a counter holds at most 2^32 - 1 agents"
    );
    (entries + entries * 7 / 8).max(8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_buckets_marks_exactly_the_free_ones() {
        for pattern in 0u32..256 {
            let window: [u32; 8] = std::array::from_fn(|i| {
                if pattern >> i & 1 == 1 {
                    EMPTY
                } else {
                    i as u32
                }
            });
            assert_eq!(free_buckets(&window), pattern);
            assert_eq!(free_buckets_one_by_one(&window), pattern);
        }
        // Values one bit away from free are held.
        let near: [u32; 8] = std::array::from_fn(|i| EMPTY ^ (1 << (i * 4)));
        assert_eq!(free_buckets(&near), 0);
    }

    /// The first free bucket from `start` on, round the end, one bucket at a time.
    fn first_free_one_by_one(held: &[u32], start: usize) -> usize {
        (0..held.len())
            .map(|step| (start + step) % held.len())
            .find(|&bucket| held[bucket] == EMPTY)
            .unwrap()
    }

    /// `first_free` against a bucket-by-bucket search for every way of holding the buckets
    /// of an index of up to 11 (at least one free), from every bucket, with the buckets
    /// starting at every place in a 32-byte block.
    #[test]
    fn first_free_agrees_on_every_small_index() {
        for len in 1..=11 {
            for held_mask in 0u32..(1 << len) - 1 {
                let held: Vec<u32> = (0..len)
                    .map(|i| if held_mask >> i & 1 == 1 { i } else { EMPTY })
                    .collect();
                for place in 0..8 {
                    for start in 0..len as usize {
                        assert_eq!(
                            first_free(&held, place, start),
                            first_free_one_by_one(&held, start),
                            "place {place}, from {start}: {held:?}"
                        );
                    }
                }
            }
        }
    }

    /// `first_free` against a bucket-by-bucket search, from every bucket, with the buckets
    /// starting at every place in a 32-byte block, and runs of held buckets across blocks and
    /// round the end.
    #[test]
    fn first_free_finds_the_next_free_bucket_round_the_end() {
        let mut random = 0x2545_f491_4f6c_dd1d_u64;
        for len in [1, 7, 8, 9, 15, 16, 17, 31, 40, 64, 100] {
            for fill in [0, 1, 4, 7, 8] {
                let mut held: Vec<u32> = (0..len)
                    .map(|i| {
                        random ^= random << 13;
                        random ^= random >> 7;
                        random ^= random << 17;
                        if random % 8 < fill {
                            i as u32
                        } else {
                            EMPTY
                        }
                    })
                    .collect();
                // At least one free bucket, as in any index.
                held[(random % len as u64) as usize] = EMPTY;
                for place in 0..8 {
                    for start in 0..len {
                        assert_eq!(
                            first_free(&held, place, start),
                            first_free_one_by_one(&held, start),
                            "place {place}, from {start}: {held:?}"
                        );
                    }
                }
            }
        }
    }
}
