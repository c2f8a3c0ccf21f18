//! The slot table: a compact map from agent id to count.
//!
//! A `HashMap<String, u64>` spends about 80 bytes a slot on 14-byte ids (a heap string, its
//! allocator header, a 24-byte key, a half-empty bucket array), and a lookup follows three
//! pointers. Counters here hold up to millions of agents, so the table keeps each slot in one
//! 24-byte [`Entry`] and indexes the entries with `u32`s:
//!
//! - `entries`: one entry a slot, in insertion order (the order never changes, so an entry's
//!   position is a stable handle for the delta record and the sorted-order cache). An id of up
//!   to [`INLINE`] bytes, the common case, lives in its entry, so a lookup reads the index and
//!   then one entry; a longer id lives in the arena;
//! - `arena`: the longer ids, each as a LEB128 length followed by its UTF-8 bytes, in entry
//!   order;
//! - `index`: open addressing with linear probing over positions in `entries`, at most 3/4 full,
//!   each bucket with 8 bits of its id's hash beside the position ([`TAGGED_UP_TO`]).
//!
//! Slots are never removed: a G-Counter only grows.

use std::hash::{BuildHasher, RandomState};
use std::sync::OnceLock;

/// Marks a free bucket in `index`.
const EMPTY: u32 = u32::MAX;
/// Indexes of up to this many buckets keep, in the top 8 bits of each bucket, 8 bits of the
/// hash of the id whose position the other 24 hold. A lookup then skips, without reading
/// them, the entries of other ids in its run of buckets: each such read is a cache miss in a
/// large table. (Such an index holds at most 3/4 of 2^24 positions, all below 2^24 - 1, so no
/// bucket in use reads as `EMPTY`.) Larger indexes hold plain 32-bit positions.
/// (The unit tests lower the limit, so that their tables cross it.)
const TAGGED_UP_TO: usize = if cfg!(test) { 1 << 10 } else { 1 << 24 };

/// For an index of `buckets` buckets and an id of `hash`: the tag that its buckets carry, and
/// the mask of the position bits.
#[inline(always)]
fn bucket_code(buckets: usize, hash: u64) -> (u32, u32) {
    if buckets <= TAGGED_UP_TO {
        (((hash >> 56) as u32) << 24, (1 << 24) - 1)
    } else {
        (0, u32::MAX)
    }
}

/// The longest id kept inside its entry.
const INLINE: usize = 15;
/// The tag of an entry whose id is in the arena.
const SPILLED: u8 = 0x7f;
/// The entry's place in the delta record: the top bit of the tag byte.
const DIRTY: u8 = 0x80;

/// One slot: its count and its id.
///
/// `key` holds an id of up to [`INLINE`] bytes itself, zero-padded, with the id's length in
/// the last byte (the tag); a longer id's arena offset is in the first eight bytes (little
/// endian), with the tag [`SPILLED`]. The tag's top bit is the delta-record flag ([`DIRTY`]),
/// not part of the id. Every id short enough is inline, so two entries hold the same short id
/// exactly when their keys are equal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) count: u64,
    key: [u8; 16],
}

impl Entry {
    fn tag(&self) -> u8 {
        self.key[15] & !DIRTY
    }

    /// The key as two words, without the delta flag: what lookups compare and hash.
    #[inline(always)]
    fn words(&self) -> [u64; 2] {
        key_words(&self.key)
    }

    fn arena_start(&self) -> usize {
        u64::from_le_bytes(self.key[..8].try_into().unwrap()) as usize
    }
}

#[inline(always)]
fn key_words(key: &[u8; 16]) -> [u64; 2] {
    let low = u64::from_le_bytes(key[..8].try_into().unwrap());
    let high = u64::from_le_bytes(key[8..].try_into().unwrap());
    [low, high & !(u64::from(DIRTY) << 56)]
}

/// The key of an id short enough to live in its entry.
#[inline(always)]
fn inline_key(id: &[u8]) -> Option<[u8; 16]> {
    let [low, high] = inline_words(id)?;
    let mut key = [0u8; 16];
    key[..8].copy_from_slice(&low.to_le_bytes());
    key[8..].copy_from_slice(&high.to_le_bytes());
    Some(key)
}

/// `key_words(&inline_key(id)?)`, read straight from `id` with a few loads that may overlap,
/// rather than through a byte copy whose result the processor must wait to read back.
#[inline(always)]
fn inline_words(id: &[u8]) -> Option<[u64; 2]> {
    let len = id.len();
    if len > INLINE {
        return None;
    }
    let word = |at: usize| u64::from_le_bytes(id[at..at + 8].try_into().unwrap());
    let half = |at: usize| u64::from(u32::from_le_bytes(id[at..at + 4].try_into().unwrap()));
    let (low, high) = match len {
        // The last eight bytes, shifted down past the first eight they overlap.
        9..=15 => (word(0), word(len - 8) >> (8 * (16 - len))),
        8 => (word(0), 0),
        // Two overlapping halves: the overlap holds the same bytes in both.
        4..=7 => (half(0) | half(len - 4) << (8 * (len - 4)), 0),
        1..=3 => {
            let byte = |at: usize| u64::from(id[at]) << (8 * at);
            (byte(0) | byte(len / 2) | byte(len - 1), 0)
        }
        _ => (0, 0),
    };
    Some([low, high | (len as u64) << 56])
}

#[derive(Clone, Debug, Default)]
pub(crate) struct SlotTable {
    arena: Vec<u8>,
    entries: Vec<Entry>,
    index: Vec<u32>,
}

/// An id being looked up, in the form the entries are compared with.
enum Probe<'a> {
    Inline([u64; 2]),
    Spilled(&'a [u8]),
}

impl<'a> Probe<'a> {
    #[inline(always)]
    fn new(id: &'a [u8]) -> Self {
        match inline_words(id) {
            Some(words) => Probe::Inline(words),
            None => Probe::Spilled(id),
        }
    }

    #[inline(always)]
    fn hash(&self) -> u64 {
        match self {
            Probe::Inline(words) => hash_words(*words),
            Probe::Spilled(id) => hash_long(id),
        }
    }
}

/// A per-process secret, so that peers cannot choose agent ids that collide in the index and
/// turn a join of their JSON into quadratic work.
fn hash_seeds() -> [u64; 2] {
    static SEEDS: OnceLock<[u64; 2]> = OnceLock::new();
    *SEEDS.get_or_init(|| {
        let state = RandomState::new();
        [
            state.hash_one(0x6763_6f75_6e74_6572_u64),
            state.hash_one(0x736c_6f74_7461_626c_u64),
        ]
    })
}

/// Folded multiply: the high and low halves of a 128-bit product, xored (as in foldhash).
#[inline(always)]
fn fold_mul(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ ((product >> 64) as u64)
}

const K1: u64 = 0x9e37_79b9_7f4a_7c15;
const K2: u64 = 0xa076_1d64_78bd_642f;

/// The hash of a short id's key (its bytes and length): one folded multiply of the two
/// seeded words, then one to mix.
#[inline(always)]
fn hash_words([low, high]: [u64; 2]) -> u64 {
    let [seed_low, seed_high] = hash_seeds();
    fold_mul(fold_mul(low ^ seed_low, high ^ seed_high), K1)
}

/// The hash of a longer id: a folded multiply per eight bytes.
fn hash_long(id: &[u8]) -> u64 {
    let mut h = hash_seeds()[0] ^ (id.len() as u64).wrapping_mul(K1);
    let mut words = id.chunks_exact(8);
    for word in &mut words {
        h = fold_mul(h ^ u64::from_le_bytes(word.try_into().unwrap()), K2);
    }
    let tail = words.remainder();
    if !tail.is_empty() {
        let mut last = [0u8; 8];
        last[..tail.len()].copy_from_slice(tail);
        h = fold_mul(h ^ u64::from_le_bytes(last), K2);
    }
    fold_mul(h, K1)
}

/// The hash the index places `id` by.
#[cfg(test)]
fn hash_id(id: &[u8]) -> u64 {
    Probe::new(id).hash()
}

impl SlotTable {
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The id of the entry at `position`.
    pub(crate) fn id_at(&self, position: usize) -> &str {
        self.id_of(&self.entries[position])
    }

    /// The id of `entry`, one of this table's entries.
    #[inline]
    pub(crate) fn id_of<'a>(&'a self, entry: &'a Entry) -> &'a str {
        let bytes = self.id_bytes_of(entry);
        // SAFETY: ids enter the table only as `&str` (`push`, `push_unindexed`), and both the
        // inline bytes and the arena hold them unchanged.
        unsafe { std::str::from_utf8_unchecked(bytes) }
    }

    #[inline(always)]
    fn id_bytes_of<'a>(&'a self, entry: &'a Entry) -> &'a [u8] {
        match entry.tag() {
            SPILLED => self.spilled_id(entry.arena_start()),
            len => &entry.key[..len as usize],
        }
    }

    fn spilled_id(&self, start: usize) -> &[u8] {
        let (len, prefix) = read_leb128(&self.arena[start..]);
        &self.arena[start + prefix..start + prefix + len]
    }

    /// The key of the entry at `position` and its id's length, if the id is inline: the id is
    /// `&key[..len]`, and the key's bytes past it are padding.
    #[inline(always)]
    pub(crate) fn inline_key_at(&self, position: usize) -> Option<(&[u8; 16], usize)> {
        let entry = &self.entries[position];
        match entry.tag() {
            SPILLED => None,
            len => Some((&entry.key, usize::from(len))),
        }
    }

    /// The bytes of the ids kept in the arena (those longer than [`INLINE`]), with their
    /// length prefixes.
    pub(crate) fn arena_len(&self) -> usize {
        self.arena.len()
    }

    /// The index hash of `entry`, one of this table's entries: equal to `hash_id` of its id.
    #[inline]
    pub(crate) fn hash_entry(&self, entry: &Entry) -> u64 {
        match entry.tag() {
            SPILLED => hash_long(self.spilled_id(entry.arena_start())),
            _ => hash_words(entry.words()),
        }
    }

    /// Asks the processor to start loading the entry at `position` (a hint; no effect on
    /// results), for loops that visit entries out of their order in memory.
    #[inline(always)]
    pub(crate) fn prefetch_entry(&self, position: usize) {
        prefetch(self.entries.as_ptr().wrapping_add(position).cast());
    }

    /// The position of `id`'s entry, if it has one.
    #[inline]
    pub(crate) fn find(&self, id: &str) -> Option<usize> {
        // Each kind of id gets a lookup of its own, the short one small enough to inline.
        match inline_words(id.as_bytes()) {
            Some(words) => self
                .find_probe(&Probe::Inline(words), hash_words(words))
                .ok(),
            None => self.find_spilled(id.as_bytes()),
        }
    }

    #[inline(never)]
    fn find_spilled(&self, id: &[u8]) -> Option<usize> {
        self.find_probe(&Probe::Spilled(id), hash_long(id)).ok()
    }

    /// `Ok(position)` of the entry for `probe`, or `Err(bucket)`: the free bucket where it
    /// belongs.
    #[inline(always)]
    fn find_probe(&self, probe: &Probe, hash: u64) -> Result<usize, usize> {
        if self.index.is_empty() {
            return Err(usize::MAX);
        }
        let mask = self.index.len() - 1;
        let (tag, positions) = bucket_code(self.index.len(), hash);
        let mut bucket = hash as usize & mask;
        loop {
            let held = self.index[bucket];
            if held == EMPTY {
                return Err(bucket);
            }
            if held & !positions == tag {
                let position = (held & positions) as usize;
                let entry = &self.entries[position];
                let found = match probe {
                    Probe::Inline(words) => entry.words() == *words,
                    Probe::Spilled(id) => {
                        entry.tag() == SPILLED && self.spilled_id(entry.arena_start()) == *id
                    }
                };
                if found {
                    return Ok(position);
                }
            }
            bucket = (bucket + 1) & mask;
        }
    }

    pub(crate) fn get(&self, id: &str) -> u64 {
        self.find(id)
            .map_or(0, |position| self.entries[position].count)
    }

    /// [`get`](Self::get) with `hash == hash_id(id)` already computed (by another table's
    /// [`hash_entry`](Self::hash_entry): every table hashes with the same seeds).
    #[inline]
    pub(crate) fn get_hashed(&self, id: &str, hash: u64) -> u64 {
        self.find_probe(&Probe::new(id.as_bytes()), hash)
            .map_or(0, |position| self.entries[position].count)
    }

    pub(crate) fn count_at(&self, position: usize) -> u64 {
        self.entries[position].count
    }

    pub(crate) fn set_count_at(&mut self, position: usize, count: u64) {
        self.entries[position].count = count;
    }

    /// The position of `id`'s entry, made with `count` 0 if absent (`true` when made).
    #[inline]
    pub(crate) fn find_or_insert(&mut self, id: &str) -> (usize, bool) {
        let probe = Probe::new(id.as_bytes());
        let hash = probe.hash();
        self.find_or_insert_probe(id, &probe, hash)
    }

    /// [`find_or_insert`](Self::find_or_insert) with `hash == hash_id(id)` already computed.
    #[inline]
    pub(crate) fn find_or_insert_hashed(&mut self, id: &str, hash: u64) -> (usize, bool) {
        self.find_or_insert_probe(id, &Probe::new(id.as_bytes()), hash)
    }

    #[inline(always)]
    fn find_or_insert_probe(&mut self, id: &str, probe: &Probe, hash: u64) -> (usize, bool) {
        match self.find_probe(probe, hash) {
            Ok(position) => (position, false),
            // The index keeps its buckets unless it must grow: the free bucket found stands.
            Err(bucket) if (self.entries.len() + 1) * 4 <= self.index.len() * 3 => {
                (self.push(id, hash, bucket), true)
            }
            Err(_) => {
                self.reserve(1);
                let bucket = match self.find_probe(probe, hash) {
                    Err(bucket) => bucket,
                    Ok(_) => unreachable!("the id was absent before the table grew"),
                };
                (self.push(id, hash, bucket), true)
            }
        }
    }

    /// Asks the processor to start loading the index bucket where an id of `hash` starts its
    /// search (a hint), for loops that look up many ids one after another.
    #[inline(always)]
    pub(crate) fn prefetch_bucket(&self, hash: u64) {
        if !self.index.is_empty() {
            let bucket = hash as usize & (self.index.len() - 1);
            prefetch(self.index.as_ptr().wrapping_add(bucket).cast());
        }
    }

    /// The number of leading entries that hold the same ids as `other`'s, position by
    /// position: counters that share their history (one copied from the other, or both from
    /// the same document) match over a prefix found by one pass over the entries, with no
    /// lookups.
    pub(crate) fn aligned_prefix(&self, other: &SlotTable) -> usize {
        let shared = self.entries.len().min(other.entries.len());
        self.entries[..shared]
            .iter()
            .zip(&other.entries[..shared])
            .take_while(|(mine, theirs)| match (mine.tag(), theirs.tag()) {
                (SPILLED, SPILLED) => {
                    self.spilled_id(mine.arena_start()) == other.spilled_id(theirs.arena_start())
                }
                _ => mine.words() == theirs.words(),
            })
            .count()
    }

    /// A new entry for `id` with `count`, its id stored inline or in the arena.
    fn new_entry(&mut self, id: &str, count: u64) -> Entry {
        assert!(
            self.entries.len() < EMPTY as usize,
            "a counter holds at most 2^32 - 1 agents"
        );
        let key = inline_key(id.as_bytes()).unwrap_or_else(|| {
            let mut key = [0u8; 16];
            key[..8].copy_from_slice(&(self.arena.len() as u64).to_le_bytes());
            key[15] = SPILLED;
            write_leb128(&mut self.arena, id.len());
            self.arena.extend_from_slice(id.as_bytes());
            key
        });
        Entry { count, key }
    }

    /// Appends an entry for `id` (of `hash`), at 0, and indexes it in the free `bucket`.
    fn push(&mut self, id: &str, hash: u64, bucket: usize) -> usize {
        let position = self.entries.len();
        let entry = self.new_entry(id, 0);
        self.entries.push(entry);
        let (tag, _) = bucket_code(self.index.len(), hash);
        self.index[bucket] = tag | position as u32;
        position
    }

    /// Makes room for `additional` more entries without another resize of the index.
    pub(crate) fn reserve(&mut self, additional: usize) {
        let capacity = index_capacity(self.index.len(), self.entries.len() + additional);
        if capacity != self.index.len() {
            self.build_index(capacity, false)
                .expect("the entries hold no duplicate ids");
        }
        self.entries.reserve(additional);
    }

    /// Appends an entry for `id` with `count`, outside the index: for bulk loads, which then
    /// call [`index_all`](Self::index_all) once.
    pub(crate) fn push_unindexed(&mut self, id: &str, count: u64) {
        let entry = self.new_entry(id, count);
        self.entries.push(entry);
    }

    /// Indexes every entry at once, after [`push_unindexed`](Self::push_unindexed), and trims
    /// spare capacity. `Err(position)`: the entry at `position` has the id of an earlier one;
    /// the table is then left without an index and must be dropped.
    pub(crate) fn index_all(&mut self) -> Result<(), usize> {
        self.entries.shrink_to_fit();
        self.arena.shrink_to_fit();
        if self.entries.is_empty() {
            return Ok(());
        }
        self.build_index(index_capacity(0, self.entries.len()), true)
    }

    /// Replaces the index with one of `capacity` buckets over every entry. Each insertion
    /// prefetches the bucket of the entry `AHEAD` places later, so that the index's cache
    /// misses overlap instead of following one another.
    fn build_index(&mut self, capacity: usize, check_duplicates: bool) -> Result<(), usize> {
        const AHEAD: usize = 8;
        let mut index = vec![EMPTY; capacity];
        let mask = capacity - 1;
        let entries = &self.entries;
        let mut upcoming = [0u64; AHEAD];
        for (entry, slot) in entries.iter().zip(upcoming.iter_mut()) {
            *slot = self.hash_entry(entry);
        }
        for (position, entry) in entries.iter().enumerate() {
            let hash = upcoming[position % AHEAD];
            if let Some(ahead) = entries.get(position + AHEAD) {
                let ahead = self.hash_entry(ahead);
                upcoming[position % AHEAD] = ahead;
                prefetch(index.as_ptr().wrapping_add(ahead as usize & mask).cast());
            }
            let (tag, positions) = bucket_code(capacity, hash);
            let mut bucket = hash as usize & mask;
            while index[bucket] != EMPTY {
                let held = index[bucket];
                if check_duplicates && held & !positions == tag {
                    let occupant = &entries[(held & positions) as usize];
                    if self.id_bytes_of(occupant) == self.id_bytes_of(entry) {
                        return Err(position);
                    }
                }
                bucket = (bucket + 1) & mask;
            }
            index[bucket] = tag | position as u32;
        }
        self.index = index;
        Ok(())
    }

    /// Adds `by` to the count at `position` and sets its delta-record flag: `Some(true)` if
    /// the flag was clear, or `None`, with nothing changed, if the count would overflow.
    #[inline(always)]
    pub(crate) fn add_at(&mut self, position: usize, by: u64) -> Option<bool> {
        let entry = &mut self.entries[position];
        entry.count = entry.count.checked_add(by)?;
        let was_clean = entry.key[15] & DIRTY == 0;
        entry.key[15] |= DIRTY;
        Some(was_clean)
    }

    pub(crate) fn is_dirty(&self, position: usize) -> bool {
        self.entries[position].key[15] & DIRTY != 0
    }

    pub(crate) fn set_dirty(&mut self, position: usize, dirty: bool) {
        let tag = &mut self.entries[position].key[15];
        if dirty {
            *tag |= DIRTY;
        } else {
            *tag &= !DIRTY;
        }
    }

    /// A copy with every delta-record flag cleared.
    pub(crate) fn clone_clean(&self) -> SlotTable {
        let mut copy = self.clone();
        for entry in &mut copy.entries {
            entry.key[15] &= !DIRTY;
        }
        copy
    }

    /// Bytes held, for the memory benchmark.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.arena.capacity()
            + self.entries.capacity() * std::mem::size_of::<Entry>()
            + self.index.capacity() * std::mem::size_of::<u32>()
    }

    /// Checks every invariant of the entries, the arena and the index (for tests).
    #[cfg(test)]
    pub(crate) fn check_consistency(&self) {
        assert_eq!(std::mem::size_of::<Entry>(), 24);
        assert!(self.index.len().is_power_of_two() || self.index.is_empty());
        assert!(self.entries.len() * 4 <= self.index.len() * 3 || self.entries.is_empty());
        let mut indexed = vec![false; self.entries.len()];
        for &held in self.index.iter().filter(|&&held| held != EMPTY) {
            let position = (held & bucket_code(self.index.len(), 0).1) as usize;
            assert!(!indexed[position], "entry {position} indexed once");
            indexed[position] = true;
            let hash = self.hash_entry(&self.entries[position]);
            assert_eq!(
                held,
                bucket_code(self.index.len(), hash).0 | position as u32
            );
        }
        assert!(indexed.into_iter().all(|once| once), "every entry indexed");
        // The arena is exactly the spilled ids, in entry order.
        let mut arena_at = 0;
        for (position, entry) in self.entries.iter().enumerate() {
            let id = self.id_at(position);
            match entry.tag() {
                SPILLED => {
                    assert_eq!(entry.arena_start(), arena_at, "entry {position} in order");
                    assert!(id.len() > INLINE, "a short id is always inline");
                    assert!(entry.key[8..15].iter().all(|&b| b == 0));
                    let (len, prefix) = read_leb128(&self.arena[arena_at..]);
                    arena_at += prefix + len;
                }
                len => {
                    assert!(usize::from(len) <= INLINE);
                    assert!(entry.key[len as usize..15].iter().all(|&b| b == 0));
                }
            }
            assert_eq!(self.hash_entry(entry), hash_id(id.as_bytes()));
            assert_eq!(
                self.find(id),
                Some(position),
                "entry {position} found by its id"
            );
        }
        assert_eq!(arena_at, self.arena.len(), "nothing else in the arena");
    }
}

/// The number of index buckets for `entries` entries: a power of two, at most 3/4 full, and
/// never fewer than `current` (the index only grows).
fn index_capacity(current: usize, entries: usize) -> usize {
    assert!(
        entries < EMPTY as usize,
        "a counter holds at most 2^32 - 1 agents"
    );
    let mut capacity = current.max(8);
    while entries * 4 > capacity * 3 {
        capacity *= 2;
    }
    capacity
}

/// A hint to load the cache line at `address`; never faults, so any address will do.
#[inline(always)]
fn prefetch(address: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint: it reads nothing the program sees and cannot fault.
    unsafe {
        std::arch::x86_64::_mm_prefetch(address.cast::<i8>(), std::arch::x86_64::_MM_HINT_T0);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = address;
}

fn write_leb128(out: &mut Vec<u8>, mut value: usize) {
    while value >= 0x80 {
        out.push(value as u8 | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// The value and the number of bytes it took.
#[inline]
fn read_leb128(bytes: &[u8]) -> (usize, usize) {
    let first = bytes[0];
    if first < 0x80 {
        return (first as usize, 1);
    }
    let mut value = 0usize;
    for (i, &byte) in bytes.iter().enumerate() {
        value |= ((byte & 0x7f) as usize) << (7 * i);
        if byte < 0x80 {
            return (value, i + 1);
        }
    }
    unreachable!("the arena holds only complete length prefixes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leb128_round_trips_at_every_width() {
        for len in [
            0,
            1,
            127,
            128,
            300,
            16_383,
            16_384,
            1 << 20,
            usize::MAX >> 1,
        ] {
            let mut buf = Vec::new();
            write_leb128(&mut buf, len);
            assert_eq!(read_leb128(&buf), (len, buf.len()));
        }
    }

    #[test]
    fn index_stays_consistent_through_growth() {
        let mut table = SlotTable::default();
        let ids: Vec<String> = (0..5000).map(|i| format!("agent-{i:09}")).collect();
        for (i, id) in ids.iter().enumerate() {
            let (position, inserted) = table.find_or_insert(id);
            assert!(inserted);
            assert_eq!(position, i);
            table.set_count_at(position, i as u64 + 1);
            if i % 997 == 0 {
                table.check_consistency();
            }
        }
        table.check_consistency();
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(table.find_or_insert(id), (i, false));
            assert_eq!(table.get(id), i as u64 + 1);
        }
        assert_eq!(table.get("absent"), 0);
    }

    #[test]
    fn long_empty_and_nul_ids_are_kept_exactly() {
        let mut table = SlotTable::default();
        let long = "x".repeat(1 << 20);
        for id in ["", "\0", "a\0b", long.as_str(), "é"] {
            let (position, _) = table.find_or_insert(id);
            assert_eq!(table.id_at(position), id);
        }
        table.check_consistency();
        assert_eq!(table.len(), 5);
    }

    #[test]
    fn bulk_load_indexes_every_entry_and_finds_duplicates() {
        let ids: Vec<String> = (0..3000).map(|i| format!("agent-{i}")).collect();
        let mut table = SlotTable::default();
        for (i, id) in ids.iter().enumerate() {
            table.push_unindexed(id, i as u64 + 1);
        }
        assert_eq!(table.index_all(), Ok(()));
        table.check_consistency();
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(table.find(id), Some(i));
            assert_eq!(table.get(id), i as u64 + 1);
        }

        let mut empty = SlotTable::default();
        assert_eq!(empty.index_all(), Ok(()));
        empty.check_consistency();
        assert_eq!(empty.find(""), None);

        for duplicate_at in [1, 17, 2999] {
            let mut table = SlotTable::default();
            for id in &ids[..duplicate_at] {
                table.push_unindexed(id, 1);
            }
            table.push_unindexed(&ids[duplicate_at / 2], 1);
            assert_eq!(table.index_all(), Err(duplicate_at));
        }
    }

    #[test]
    fn aligned_prefix_counts_only_whole_shared_records() {
        let table = |ids: &[&str]| {
            let mut table = SlotTable::default();
            for id in ids {
                table.find_or_insert(id);
            }
            table
        };
        let base = table(&["a", "bb", "ccc", "dddd"]);
        assert_eq!(base.aligned_prefix(&base.clone()), 4);
        assert_eq!(base.aligned_prefix(&table(&[])), 0);
        assert_eq!(table(&[]).aligned_prefix(&base), 0);
        assert_eq!(base.aligned_prefix(&table(&["a", "bb"])), 2);
        assert_eq!(table(&["a", "bb"]).aligned_prefix(&base), 2);
        // Same bytes up to the middle of an id: that record is not shared.
        assert_eq!(base.aligned_prefix(&table(&["a", "bb", "ccx", "dddd"])), 2);
        // An id that is a prefix of the other's: the length bytes differ.
        assert_eq!(base.aligned_prefix(&table(&["a", "b", "ccc"])), 1);
        assert_eq!(base.aligned_prefix(&table(&["bb", "a", "ccc", "dddd"])), 0);
        // Long arenas: the block-wise comparison and the tail agree.
        let ids: Vec<String> = (0..2000).map(|i| format!("agent-{i:06}")).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let long = table(&ids);
        for cut in [0, 1, 300, 1999, 2000] {
            let mut changed = ids.clone();
            if cut < ids.len() {
                changed[cut] = "agent-zzzzzz";
            }
            assert_eq!(long.aligned_prefix(&table(&changed)), cut);
        }
        let mut dirty = long.clone();
        dirty.set_dirty(5, true);
        assert_eq!(long.aligned_prefix(&dirty), 2000);
    }

    #[test]
    fn inline_words_are_the_key_bytes() {
        let bytes: Vec<u8> = (1..=20).collect();
        for len in 0..=20 {
            let id = &bytes[..len];
            let expected = (len <= INLINE).then(|| {
                let mut key = [0u8; 16];
                key[..len].copy_from_slice(id);
                key[15] = len as u8;
                key_words(&key)
            });
            assert_eq!(inline_words(id), expected, "length {len}");
        }
    }

    #[test]
    fn ids_on_both_sides_of_the_inline_limit_stay_distinct() {
        let mut ids = Vec::new();
        for len in 0..=40 {
            ids.push("x".repeat(len));
            ids.push("\0".repeat(len));
            ids.push(format!("{}\0", "y".repeat(len)));
            ids.push(format!("é{}", "z".repeat(len)));
        }
        ids.sort();
        ids.dedup();
        let mut table = SlotTable::default();
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(table.find_or_insert(id), (i, true), "{id:?}");
            table.set_count_at(i, i as u64 + 1);
        }
        table.check_consistency();
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(table.id_at(i), id);
            assert_eq!(table.get(id), i as u64 + 1);
        }
        // The delta flag lives in the tag byte: set on every entry, lookups still find each.
        for position in 0..ids.len() {
            table.set_dirty(position, true);
        }
        table.check_consistency();
        assert_eq!(table.aligned_prefix(&table.clone_clean()), ids.len());
        let clean = table.clone_clean();
        assert!((0..ids.len()).all(|position| !clean.is_dirty(position)));
        clean.check_consistency();
    }

    #[test]
    fn dirty_flags_do_not_disturb_ids() {
        let mut table = SlotTable::default();
        let (a, _) = table.find_or_insert("a");
        table.set_dirty(a, true);
        assert!(table.is_dirty(a));
        assert_eq!(table.id_at(a), "a");
        assert!(!table.clone_clean().is_dirty(a));
        table.set_dirty(a, false);
        assert!(!table.is_dirty(a));
    }
}
