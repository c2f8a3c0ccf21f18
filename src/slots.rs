//! The slot table: a compact map from agent id to count, kept in agent-id order.
//!
//! A `HashMap<String, u64>` spends about 80 bytes a slot on 14-byte ids (a heap string, its
//! allocator header, a 24-byte key, a half-empty bucket array), and a lookup follows three
//! pointers. Counters here hold up to millions of agents, so the table keeps each slot in one
//! 24-byte [`Entry`] and indexes the entries with `u32`s:
//!
//! - `entries`: one entry a slot. The first `sorted` are in the UTF-8 byte order of their ids
//!   (the sorted run); after them, the tail: slots added one at a time since, in the order they
//!   came. A join is then a merge of two sorted sequences, and the canonical JSON a walk in
//!   memory order ([`order`]). An id of up to [`INLINE`] bytes, the common case, lives in its
//!   entry, so a lookup reads the index and then one entry; a longer id lives in the arena;
//! - `arena`: the longer ids, each as a LEB128 length followed by its UTF-8 bytes, each once;
//! - `index`: a hash index from ids to positions in `entries` ([`index`]);
//! - `flagged`: the positions whose delta-record flag is set, each once, so that the delta
//!   record costs what rose, not the table's size.
//!
//! Slots are never removed: a G-Counter only grows.

mod index;
mod order;
mod pages;

use std::hash::{BuildHasher, RandomState};
use std::sync::OnceLock;

use index::{Index, EMPTY};

/// The longest id kept inside its entry.
pub(crate) const INLINE: usize = 15;
/// The tag of an entry whose id is in the arena.
const SPILLED: u8 = 0x7f;
/// The entry's place in the delta record: the top bit of the tag byte.
const DIRTY: u8 = 0x80;

/// [`DIRTY`] in the high word of a key, as [`key_words`] reads it.
const FLAGGED: u64 = (DIRTY as u64) << 56;

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
    /// An entry that holds no slot: room being made, before it is written.
    const BLANK: Entry = Entry {
        count: 0,
        key: [0; 16],
    };

    fn tag(&self) -> u8 {
        self.key[15] & !DIRTY
    }

    fn is_spilled(&self) -> bool {
        self.tag() == SPILLED
    }

    fn is_dirty(&self) -> bool {
        self.key[15] & DIRTY != 0
    }

    /// The key as two words, without the delta flag: what lookups compare and hash.
    #[inline(always)]
    fn words(&self) -> [u64; 2] {
        key_words(&self.key)
    }

    fn arena_start(&self) -> usize {
        u64::from_le_bytes(self.key[..8].try_into().unwrap()) as usize
    }

    /// The entry of `count` whose key has `words` (as [`key_words`] reads them, flag
    /// included).
    #[inline(always)]
    fn from_words(count: u64, words: [u64; 2]) -> Entry {
        Entry {
            count,
            key: key_of_words(words),
        }
    }

    /// The entry with its delta flag cleared.
    #[inline(always)]
    fn clean(self) -> Entry {
        self.flagged(false)
    }

    /// The entry with its delta flag set to `on`. Worked out on the key's words, so that a
    /// copy on its way elsewhere stays in registers: a flag byte written into a copy in
    /// memory, then read back with the rest of the key, stalls the load that reads it.
    #[inline(always)]
    fn flagged(self, on: bool) -> Entry {
        let [low, high] = self.words();
        Entry::from_words(self.count, [low, high | (FLAGGED * u64::from(on))])
    }
}

#[inline(always)]
fn key_words(key: &[u8; 16]) -> [u64; 2] {
    let low = u64::from_le_bytes(key[..8].try_into().unwrap());
    let high = u64::from_le_bytes(key[8..].try_into().unwrap());
    [low, high & !FLAGGED]
}

/// The key of an id short enough to live in its entry.
#[inline(always)]
fn inline_key(id: &[u8]) -> Option<[u8; 16]> {
    inline_words(id).map(key_of_words)
}

/// The key whose words (as [`key_words`] reads them, flag clear) are `words`.
#[inline(always)]
fn key_of_words([low, high]: [u64; 2]) -> [u8; 16] {
    let mut key = [0u8; 16];
    key[..8].copy_from_slice(&low.to_le_bytes());
    key[8..].copy_from_slice(&high.to_le_bytes());
    key
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
    /// How many leading entries are in id order (the sorted run); the rest are the tail.
    sorted: usize,
    index: Index,
    /// The positions of the entries whose delta flag is set, each once, in no set order.
    flagged: Vec<u32>,
    /// The tail's order, worked out when first asked for; dropped when the tail changes.
    tail: order::TailOrder,
}

/// Where an id absent from a table belongs: the free index bucket, and the id's hash.
pub(crate) struct Vacancy {
    bucket: usize,
    hash: u64,
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
fn hash_words(words: [u64; 2]) -> u64 {
    hash_words_seeded(hash_seeds(), words)
}

/// [`hash_words`] with the seeds read once, for loops over many entries.
#[inline(always)]
fn hash_words_seeded([seed_low, seed_high]: [u64; 2], [low, high]: [u64; 2]) -> u64 {
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

/// The id bytes of `entry`, whose longer ids live in `arena`.
#[inline(always)]
fn id_bytes<'a>(arena: &'a [u8], entry: &'a Entry) -> &'a [u8] {
    match entry.tag() {
        SPILLED => spilled_id(arena, entry.arena_start()),
        len => &entry.key[..len as usize],
    }
}

fn spilled_id(arena: &[u8], start: usize) -> &[u8] {
    let (len, prefix) = read_leb128(&arena[start..]);
    &arena[start + prefix..start + prefix + len]
}

/// The index hash of `entry`, whose longer ids live in `arena`: equal to `hash_id` of its id.
#[inline(always)]
fn entry_hash(arena: &[u8], entry: &Entry) -> u64 {
    match entry.tag() {
        SPILLED => hash_long(spilled_id(arena, entry.arena_start())),
        _ => hash_words(entry.words()),
    }
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
        let bytes = id_bytes(&self.arena, entry);
        // SAFETY: ids enter the table only as `&str` (`new_entry`), and both the inline bytes
        // and the arena hold them unchanged.
        unsafe { std::str::from_utf8_unchecked(bytes) }
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
        entry_hash(&self.arena, entry)
    }

    /// Asks the processor to start loading the entry that the first index bucket of `hash`
    /// holds (a hint): the entry a lookup of an id of `hash` reads first. Useful once the
    /// bucket itself is in cache (a [`prefetch_bucket`](Self::prefetch_bucket) some steps
    /// earlier).
    #[inline(always)]
    pub(crate) fn prefetch_bucket_entry(&self, hash: u64) {
        if self.index.len() == 0 {
            return;
        }
        let slot = self.index.slot(hash);
        let held = self.index.held(slot.bucket);
        if held != EMPTY {
            let position = (held & slot.positions) as usize;
            prefetch(self.entries.as_ptr().wrapping_add(position).cast());
        }
    }

    /// The position of `id`'s entry, or where one for it belongs, for
    /// [`insert_at`](Self::insert_at): one lookup serves both.
    #[inline]
    pub(crate) fn find_or_vacancy(&self, id: &str) -> Result<usize, Vacancy> {
        let probe = Probe::new(id.as_bytes());
        let hash = probe.hash();
        self.find_probe(&probe, hash)
            .map_err(|bucket| Vacancy { bucket, hash })
    }

    /// Makes an entry for `id`, at 0, where [`find_or_vacancy`](Self::find_or_vacancy) said it
    /// belongs (the table unchanged since), and returns its position.
    pub(crate) fn insert_at(&mut self, id: &str, vacancy: Vacancy) -> usize {
        let Vacancy { bucket, hash } = vacancy;
        if self.index.has_room_for(self.entries.len() + 1) && !self.settles_before_the_tail_grows()
        {
            return self.push(id, hash, bucket);
        }
        let (position, inserted) = self.find_or_insert_hashed(id, hash);
        debug_assert!(inserted);
        position
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
        if self.index.len() == 0 {
            return Err(usize::MAX);
        }
        let slot = self.index.slot(hash);
        let mut bucket = slot.bucket;
        loop {
            let held = self.index.held(bucket);
            if held == EMPTY {
                return Err(bucket);
            }
            if held & !slot.positions == slot.tag {
                let position = (held & slot.positions) as usize;
                if self.holds(position, probe) {
                    return Ok(position);
                }
            }
            bucket = self.index.next(bucket);
        }
    }

    /// Whether the entry at `position` holds the id of `probe`.
    #[inline(always)]
    fn holds(&self, position: usize, probe: &Probe) -> bool {
        let entry = &self.entries[position];
        match probe {
            Probe::Inline(words) => entry.words() == *words,
            Probe::Spilled(id) => {
                entry.is_spilled() && spilled_id(&self.arena, entry.arena_start()) == *id
            }
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

    /// Sets the count of a slot just made (by [`find_or_insert`](Self::find_or_insert)), as
    /// readers do with the count they read; no flag is set.
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
            // The index keeps its buckets unless it must grow or the table settles: the free
            // bucket found stands.
            Err(bucket)
                if self.index.has_room_for(self.entries.len() + 1)
                    && !self.settles_before_the_tail_grows() =>
            {
                (self.push(id, hash, bucket), true)
            }
            Err(_) => {
                if self.settles_before_the_tail_grows() {
                    self.settle_in_place();
                }
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
        self.index.prefetch(hash);
    }

    /// A new entry for `id` with `count`, its id stored inline or in the arena.
    fn new_entry(&mut self, id: &str, count: u64) -> Entry {
        let key =
            inline_key(id.as_bytes()).unwrap_or_else(|| spill(&mut self.arena, id.as_bytes()));
        Entry { count, key }
    }

    /// Appends `entry`, unindexed: to the sorted run while the entries arrive in id order and
    /// the tail is empty, else to the tail.
    #[inline]
    fn append(&mut self, entry: Entry) {
        assert!(
            self.entries.len() < EMPTY as usize,
            "a counter holds at most 2^32 - 1 agents"
        );
        if self.sorted == self.entries.len() {
            let extends_run = self
                .entries
                .last()
                .map_or(true, |last| self.id_order(last, &entry).is_lt());
            self.sorted += usize::from(extends_run);
        } else {
            self.tail.clear();
        }
        self.entries.push(entry);
    }

    /// Appends an entry for `id` (of `hash`), at 0, and indexes it in the free `bucket`.
    fn push(&mut self, id: &str, hash: u64, bucket: usize) -> usize {
        let position = self.entries.len();
        let entry = self.new_entry(id, 0);
        self.append(entry);
        let slot = self.index.slot(hash);
        self.index.put(bucket, slot, position);
        position
    }

    /// Makes room for `additional` more entries without another rebuild of the index.
    pub(crate) fn reserve(&mut self, additional: usize) {
        let wanted = self.entries.len().saturating_add(additional);
        assert!(
            wanted < EMPTY as usize,
            "a counter holds at most 2^32 - 1 agents"
        );
        if !self.index.has_room_for(wanted) {
            self.rebuild_index(additional);
        }
        self.entries.reserve(additional);
    }

    /// Room for `additional` more entries, for a bulk load.
    pub(crate) fn reserve_entries(&mut self, additional: usize) {
        let wanted = self.entries.len() + additional;
        if wanted > self.entries.capacity() {
            let mut fresh = pages::vec_to_shrink(wanted);
            fresh.extend_from_slice(&self.entries);
            self.entries = fresh;
        }
    }

    /// [`push_unindexed`](Self::push_unindexed) of an id of at most [`INLINE`] bytes given
    /// as its key's words: the id's bytes from the lowest, zero-padded, its length in the top
    /// byte (as `inline_words` makes them).
    #[inline(always)]
    pub(crate) fn push_inline_unindexed(&mut self, words: [u64; 2], count: u64) {
        debug_assert!(words[1] >> 56 <= INLINE as u64);
        assert!(
            self.entries.len() < EMPTY as usize,
            "a counter holds at most 2^32 - 1 agents"
        );
        self.entries.push(Entry::from_words(count, words));
    }

    /// Appends an entry for `id` with `count`, outside the index: for bulk loads, which then
    /// call [`finish_bulk`](Self::finish_bulk) once.
    pub(crate) fn push_unindexed(&mut self, id: &str, count: u64) {
        assert!(
            self.entries.len() < EMPTY as usize,
            "a counter holds at most 2^32 - 1 agents"
        );
        // Into the tail: `finish_bulk` finds how far the entries came in order.
        let entry = self.new_entry(id, count);
        self.entries.push(entry);
    }

    /// Appends a copy of `entry`, one of `from`'s, outside the index, with its flag cleared.
    fn push_copy(&mut self, from: &SlotTable, entry: &Entry) {
        let entry = adopt(&mut self.arena, from, entry);
        self.append(entry);
    }

    /// Sorts the entries of a bulk load and indexes them all at once, with no spare room.
    /// `Err(())`: two entries hold the same id; the table must then be dropped.
    pub(crate) fn finish_bulk(&mut self) -> Result<(), ()> {
        self.tail.clear();
        if self.sorted == 0 {
            self.sorted = self.entries.len().min(1);
        }
        self.sorted += self.rising_after(self.sorted.saturating_sub(1));
        self.merge_tail()?;
        self.entries.shrink_to_fit();
        self.arena.shrink_to_fit();
        self.rebuild_index(0);
        Ok(())
    }

    /// Indexes every entry anew, with room for `additional` more.
    fn rebuild_index(&mut self, additional: usize) {
        let arena = &self.arena;
        if arena.is_empty() {
            // Short ids only, the common case: the hash inline, with its seeds read once.
            let seeds = hash_seeds();
            self.index.rebuild(&self.entries, additional, |entry| {
                hash_words_seeded(seeds, entry.words())
            });
        } else {
            self.index
                .rebuild(&self.entries, additional, |entry| entry_hash(arena, entry));
        }
    }

    /// Adds `by` to the count at `position` and flags it for the delta record; `None`, with
    /// nothing changed, if the count would overflow.
    #[inline(always)]
    pub(crate) fn add_at(&mut self, position: usize, by: u64) -> Option<()> {
        let entry = &mut self.entries[position];
        entry.count = entry.count.checked_add(by)?;
        self.flag(position);
        Some(())
    }

    /// Raises the count at `position` to `count`, which is above it, and flags it; returns
    /// how much it rose.
    #[inline]
    pub(crate) fn raise(&mut self, position: usize, count: u64) -> u64 {
        let entry = &mut self.entries[position];
        debug_assert!(count > entry.count);
        let rise = count - entry.count;
        entry.count = count;
        self.flag(position);
        rise
    }

    /// Sets the delta flag of the entry at `position`, and records it if it was clear.
    #[inline(always)]
    fn flag(&mut self, position: usize) {
        let tag = &mut self.entries[position].key[15];
        if *tag & DIRTY == 0 {
            *tag |= DIRTY;
            self.flagged.push(position as u32);
        }
    }

    /// Flags every entry: each slot of a counter made by copying rose from 0.
    pub(crate) fn flag_all(&mut self) {
        self.flagged.clear();
        for position in 0..self.entries.len() {
            self.flag(position);
        }
    }

    /// How many entries are flagged.
    pub(crate) fn flagged_len(&self) -> usize {
        self.flagged.len()
    }

    #[cfg(test)]
    pub(crate) fn is_dirty(&self, position: usize) -> bool {
        self.entries[position].is_dirty()
    }

    /// A table of the flagged entries with their counts, and every flag cleared.
    pub(crate) fn take_flagged(&mut self) -> SlotTable {
        let mut positions = std::mem::take(&mut self.flagged);
        // In position order the sorted run's entries come in id order, and memory is read
        // front to back.
        positions.sort_unstable();
        let mut taken = SlotTable::default();
        taken.entries.reserve_exact(positions.len());
        for (i, &position) in positions.iter().enumerate() {
            if let Some(&ahead) = positions.get(i + 16) {
                prefetch(self.entries.as_ptr().wrapping_add(ahead as usize).cast());
            }
            let entry = &mut self.entries[position as usize];
            *entry = entry.clean();
            let entry = *entry;
            taken.push_copy(self, &entry);
        }
        taken
            .finish_bulk()
            .expect("the ids of one table are distinct");
        taken
    }

    /// A copy with every delta flag cleared.
    pub(crate) fn clone_clean(&self) -> SlotTable {
        let mut copy = self.clone();
        for &position in &self.flagged {
            let entry = &mut copy.entries[position as usize];
            *entry = entry.clean();
        }
        copy.flagged = Vec::new();
        copy
    }

    /// A table of the entries that `keep` accepts, in the same order, indexed.
    pub(crate) fn filtered(&self, keep: impl Fn(&Entry) -> bool) -> SlotTable {
        let mut kept = SlotTable::default();
        for entry in self.entries.iter().filter(|entry| keep(entry)) {
            kept.push_copy(self, entry);
        }
        kept.finish_bulk()
            .expect("the ids of one table are distinct");
        kept
    }

    /// Bytes held, for the memory benchmark.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.arena.capacity()
            + self.entries.capacity() * std::mem::size_of::<Entry>()
            + self.index.heap_bytes()
            + self.flagged.capacity() * std::mem::size_of::<u32>()
            + self.tail.heap_bytes()
    }
}

/// `entry` of `from` as an entry of a table whose long ids are in `arena` (its long id copied
/// there), with its delta flag cleared.
#[inline(always)]
fn adopt(arena: &mut Vec<u8>, from: &SlotTable, entry: &Entry) -> Entry {
    if entry.is_spilled() {
        adopt_spilled(arena, from, entry)
    } else {
        entry.clean()
    }
}

/// [`adopt`] for an entry whose id lives in `from`'s arena.
#[inline(never)]
fn adopt_spilled(arena: &mut Vec<u8>, from: &SlotTable, entry: &Entry) -> Entry {
    let key = spill(arena, id_bytes(&from.arena, entry));
    Entry {
        count: entry.count,
        key,
    }
}

/// Stores a long id in `arena`, and returns the key of an entry that holds it.
fn spill(arena: &mut Vec<u8>, id: &[u8]) -> [u8; 16] {
    let mut key = [0u8; 16];
    key[..8].copy_from_slice(&(arena.len() as u64).to_le_bytes());
    key[15] = SPILLED;
    write_leb128(arena, id.len());
    arena.extend_from_slice(id);
    key
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

/// Checks every invariant of the entries, their order, the arena, the index and the flags
/// (for tests).
#[cfg(test)]
impl SlotTable {
    pub(crate) fn check_consistency(&self) {
        assert_eq!(std::mem::size_of::<Entry>(), 24);
        assert!(self.sorted <= self.entries.len());
        for pair in self.entries[..self.sorted].windows(2) {
            assert!(
                self.id_order(&pair[0], &pair[1]).is_lt(),
                "the run is sorted"
            );
        }
        let order: Vec<usize> = self.in_order().collect();
        assert_eq!(order.len(), self.entries.len());
        for pair in order.windows(2) {
            assert!(
                self.id_at(pair[0]) < self.id_at(pair[1]),
                "in order, each once"
            );
        }
        let backwards: Vec<usize> = self.in_order().rev().collect();
        assert!(backwards.iter().rev().eq(order.iter()));
        for (rank, &position) in order.iter().enumerate() {
            assert_eq!(self.position_at_rank(rank), Some(position));
        }
        assert_eq!(self.position_at_rank(order.len()), None);
        self.check_index();
        self.check_arena();
        let mut flagged = vec![false; self.entries.len()];
        for &position in &self.flagged {
            assert!(!flagged[position as usize], "flagged once");
            flagged[position as usize] = true;
        }
        for (position, entry) in self.entries.iter().enumerate() {
            assert_eq!(
                entry.is_dirty(),
                flagged[position],
                "flag {position} recorded"
            );
        }
    }

    fn check_index(&self) {
        if self.entries.is_empty() {
            return;
        }
        assert!(self.index.has_room_for(self.entries.len()));
        let mut indexed = vec![false; self.entries.len()];
        for (tag, position) in self.index.held_positions() {
            assert!(!indexed[position], "entry {position} indexed once");
            indexed[position] = true;
            let hash = self.hash_entry(&self.entries[position]);
            assert_eq!(tag, self.index.slot(hash).tag);
        }
        assert!(indexed.into_iter().all(|once| once), "every entry indexed");
        for (position, entry) in self.entries.iter().enumerate() {
            let id = self.id_of(entry);
            assert_eq!(self.hash_entry(entry), hash_id(id.as_bytes()));
            assert_eq!(
                self.find(id),
                Some(position),
                "entry {position} found by its id"
            );
        }
    }

    /// The arena holds exactly the long ids, each once; short ids are inline.
    fn check_arena(&self) {
        let mut starts = Vec::new();
        for entry in &self.entries {
            match entry.tag() {
                SPILLED => {
                    assert!(entry.key[8..15].iter().all(|&b| b == 0));
                    starts.push(entry.arena_start());
                }
                len => {
                    assert!(usize::from(len) <= INLINE);
                    assert!(entry.key[len as usize..15].iter().all(|&b| b == 0));
                }
            }
        }
        starts.sort_unstable();
        let mut at = 0;
        for start in starts {
            assert_eq!(start, at, "arena records follow one another");
            let id = spilled_id(&self.arena, start);
            assert!(id.len() > INLINE, "a short id is always inline");
            let (len, prefix) = read_leb128(&self.arena[start..]);
            at += prefix + len;
        }
        assert_eq!(at, self.arena.len(), "nothing else in the arena");
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    /// Deterministic pseudo-random numbers (xorshift).
    struct Random(u64);

    impl Random {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }

        /// An id from a small alphabet, short or long, so that ids share prefixes, differ
        /// only in length, and cross the inline limit.
        fn id(&mut self) -> String {
            let len = match self.below(4) {
                0 => self.below(4),
                1 => 13 + self.below(5),
                _ => self.below(24),
            };
            (0..len)
                .map(|_| ['a', 'b', '\0', 'é'][self.below(4) as usize])
                .collect()
        }
    }

    fn table_of(counts: &BTreeMap<String, u64>, random: &mut Random) -> SlotTable {
        let mut ids: Vec<&String> = counts.keys().collect();
        // Some ids in order (the sorted run grows), the rest shuffled (the tail).
        let from = random.below(ids.len() as u64 + 1) as usize;
        for i in (from + 1..ids.len()).rev() {
            ids.swap(i, from + random.below((i - from + 1) as u64) as usize);
        }
        let mut table = SlotTable::default();
        for id in ids {
            let (position, inserted) = table.find_or_insert(id);
            assert!(inserted);
            table.set_count_at(position, counts[id]);
        }
        table
    }

    fn counts_of(table: &SlotTable) -> BTreeMap<String, u64> {
        let counts: BTreeMap<String, u64> = table
            .entries()
            .iter()
            .map(|entry| (table.id_of(entry).to_owned(), entry.count))
            .collect();
        assert_eq!(counts.len(), table.len());
        counts
    }

    fn random_counts(random: &mut Random, max_len: u64) -> BTreeMap<String, u64> {
        let len = random.below(max_len + 1);
        (0..len)
            .map(|_| (random.id(), 1 + random.below(9)))
            .collect()
    }

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
    fn a_new_id_settles_a_long_tail_that_a_walk_has_sorted() {
        let mut table = SlotTable::default();
        let id = |i: u32| format!("agent-{:06}", (i * 7_919) % 10_000);
        for i in 0..1_000 {
            table.find_or_insert(&id(i));
        }
        assert!(!table.is_settled(), "ids out of order make a tail");
        // Without a walk, new ids join the tail as they come.
        table.find_or_insert(&id(1_000));
        assert!(!table.is_settled());
        let walked: Vec<usize> = table.in_order().collect();
        assert_eq!(walked.len(), 1_001);
        let (position, inserted) = table.find_or_insert(&id(1_001));
        assert!(inserted);
        assert_eq!(table.id_at(position), id(1_001));
        assert!(table.sorted >= table.len() - 1, "settled, then the new id");
        table.check_consistency();
        // An id already there changes nothing.
        let before = table.entries.clone();
        table.find_or_insert(&id(5));
        assert_eq!(table.entries, before);
    }

    #[test]
    fn index_stays_consistent_through_growth() {
        let mut table = SlotTable::default();
        let ids: Vec<String> = (0..5000).map(|i| format!("agent-{i:09}")).collect();
        for (i, id) in ids.iter().enumerate().rev() {
            let (position, inserted) = table.find_or_insert(id);
            assert!(inserted);
            assert_eq!(table.id_at(position), id);
            table.set_count_at(position, i as u64 + 1);
            if i % 997 == 0 {
                // A walk, which sorts the tail: the next new id settles the table first.
                table.check_consistency();
            }
        }
        table.check_consistency();
        for (i, id) in ids.iter().enumerate() {
            let (position, inserted) = table.find_or_insert(id);
            assert!(!inserted);
            assert_eq!(table.id_at(position), id);
            assert_eq!(table.get(id), i as u64 + 1);
        }
        assert_eq!(table.get("absent"), 0);
        table.settle();
        table.check_consistency();
        assert!(table.is_settled());
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(table.find(id), Some(i));
            assert_eq!(table.get(id), i as u64 + 1);
        }
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
        table.settle();
        table.check_consistency();
    }

    #[test]
    fn the_order_of_keys_is_the_order_of_ids() {
        let mut random = Random(0x2545_f491_4f6c_dd1d);
        let ids: Vec<String> = (0..400).map(|_| random.id()).collect();
        let mut table = SlotTable::default();
        for id in &ids {
            table.find_or_insert(id);
        }
        let entries = table.entries();
        for a in entries {
            for b in entries {
                let expected = table.id_of(a).cmp(table.id_of(b));
                assert_eq!(table.id_order(a, b), expected, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn bulk_load_sorts_and_finds_duplicates() {
        let ids: Vec<String> = (0..3000).map(|i| format!("agent-{i}")).collect();
        let mut table = SlotTable::default();
        for (i, id) in ids.iter().enumerate() {
            table.push_unindexed(id, i as u64 + 1);
        }
        assert_eq!(table.finish_bulk(), Ok(()));
        table.check_consistency();
        assert!(table.is_settled());
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(table.get(id), i as u64 + 1);
        }

        let mut empty = SlotTable::default();
        assert_eq!(empty.finish_bulk(), Ok(()));
        empty.check_consistency();
        assert_eq!(empty.find(""), None);

        for duplicate_at in [1, 17, 2999] {
            for sorted in [false, true] {
                let mut ids = ids[..duplicate_at].to_vec();
                ids.push(ids[duplicate_at / 2].clone());
                if sorted {
                    ids.sort();
                }
                let mut table = SlotTable::default();
                for id in &ids {
                    table.push_unindexed(id, 1);
                }
                assert_eq!(table.finish_bulk(), Err(()), "{duplicate_at} {sorted}");
            }
        }
    }

    #[test]
    fn joins_take_the_per_slot_maximum_and_flag_what_rose() {
        let mut random = Random(0x9e37_79b9_7f4a_7c15);
        for round in 0..300 {
            let mine = random_counts(&mut random, [4, 40, 400][round % 3]);
            let theirs = random_counts(&mut random, [40, 4, 400][round % 3]);
            let mut table = table_of(&mine, &mut random);
            let other = table_of(&theirs, &mut random);
            if random.below(2) == 0 {
                // Some flags set before the join, which must survive it.
                for position in 0..table.len() {
                    if random.below(3) == 0 {
                        table.add_at(position, 1).unwrap();
                    }
                }
            }
            let before = counts_of(&table);
            let lacked = theirs.keys().filter(|id| !before.contains_key(*id)).count();
            assert_eq!(table.lacked(&other), lacked);
            let rise = table.join(&other);
            table.check_consistency();
            let mut expected = before.clone();
            for (id, &count) in &theirs {
                let slot = expected.entry(id.clone()).or_insert(0);
                *slot = (*slot).max(count);
            }
            assert_eq!(counts_of(&table), expected);
            let sum = |counts: &BTreeMap<String, u64>| -> u128 {
                counts.values().map(|&c| u128::from(c)).sum()
            };
            assert_eq!(rise, sum(&expected) - sum(&before));
            for (id, &count) in &expected {
                let position = table.find(id).unwrap();
                if before.get(id) != Some(&count) {
                    assert!(table.is_dirty(position), "{id:?} rose, so it is flagged");
                }
            }
        }
    }

    /// Joins whose new ids are few (room made in place) or many (the rest merged into a fresh
    /// buffer), placed at the start, the middle, the end or all along, from a settled table or
    /// one with a tail, with some slots raised and some flagged before, with short ids and
    /// with ids long enough for the arena: the counts, the rise, the delta record and the
    /// index must be what a map computes, and a join that takes in few new ids grows the
    /// table by just those.
    #[test]
    fn joins_with_few_or_many_new_ids_anywhere() {
        let mut random = Random(0x2545_f491_4f6c_dd1d);
        for round in 0..240 {
            let id = |i: u64| {
                if round < 120 {
                    format!("agent-{i:05}")
                } else {
                    format!("an-agent-whose-id-is-long-{i:05}")
                }
            };
            let len = [200, 700, 2_000][round % 3];
            let new = [1, 10, 65, 300, len][round % 5];
            // Where the new ids go among the shared ones (by number): 0 the start, 1 the
            // middle, 2 the end, 3 spread all along.
            let place = (round / 5) % 4;
            let new_numbers: Vec<u64> = (0..new as u64)
                .map(|k| match place {
                    0 => 2 * k + 1,
                    1 => len as u64 + 2 * k + 1,
                    2 => 4 * len as u64 + 2 * k + 1,
                    _ => (2 * k * (2 * len as u64) / new as u64) | 1,
                })
                .collect();
            let mine: BTreeMap<String, u64> = (0..len as u64)
                .map(|k| (id(2 * k), 1 + random.below(9)))
                .collect();
            let mut theirs: BTreeMap<String, u64> = mine
                .iter()
                .map(|(agent, &count)| (agent.clone(), count + random.below(2)))
                .collect();
            for &number in &new_numbers {
                theirs.insert(id(number), 1 + random.below(9));
            }
            let mut table = table_of(&mine, &mut random);
            table.settle();
            let mut other = table_of(&theirs, &mut random);
            // A settled other table is merged from its entries in place, an unsettled one
            // through its order: both, in every shape.
            if round % 2 == 1 {
                other.settle();
            }
            let mut expected_dirty = BTreeSet::new();
            for position in 0..table.len() {
                if random.below(5) == 0 {
                    table.add_at(position, 1).unwrap();
                    expected_dirty.insert(table.id_at(position).to_owned());
                }
            }
            let before = counts_of(&table);
            let rise = table.join(&other);
            table.check_consistency();
            let mut expected = before.clone();
            for (agent, &count) in &theirs {
                let slot = expected.entry(agent.clone()).or_insert(0);
                if count > *slot {
                    *slot = count;
                    expected_dirty.insert(agent.clone());
                }
            }
            assert_eq!(counts_of(&table), expected, "round {round}");
            let sum = |counts: &BTreeMap<String, u64>| -> u128 {
                counts.values().map(|&c| u128::from(c)).sum()
            };
            assert_eq!(rise, sum(&expected) - sum(&before), "round {round}");
            let dirty: BTreeSet<String> = (0..table.len())
                .filter(|&position| table.is_dirty(position))
                .map(|position| table.id_at(position).to_owned())
                .collect();
            assert_eq!(dirty, expected_dirty, "round {round}");
            if new <= 10 {
                assert_eq!(
                    table.entries.capacity(),
                    table.len(),
                    "round {round}: grown by {new}"
                );
            }
        }
    }

    #[test]
    fn above_keeps_exactly_the_slots_higher_than_the_peers() {
        let mut random = Random(0x1234_5678_9abc_def1);
        for round in 0..300 {
            let mine = random_counts(&mut random, [4, 40, 400][round % 3]);
            let theirs = random_counts(&mut random, [400, 40, 4][round % 3]);
            let (table, peer) = (table_of(&mine, &mut random), table_of(&theirs, &mut random));
            let above = table.above(&peer);
            above.check_consistency();
            assert!(above.is_settled());
            let expected: BTreeMap<String, u64> = mine
                .iter()
                .filter(|(id, &count)| count > theirs.get(*id).copied().unwrap_or(0))
                .map(|(id, &count)| (id.clone(), count))
                .collect();
            assert_eq!(counts_of(&above), expected);
        }
    }

    #[test]
    fn taking_the_flagged_entries_clears_their_flags() {
        let mut random = Random(0xdead_beef_cafe_f00d);
        for round in 0..100 {
            let counts = random_counts(&mut random, [10, 100, 1000][round % 3]);
            let mut table = table_of(&counts, &mut random);
            if random.below(2) == 0 {
                table.settle();
            }
            let mut expected = BTreeMap::new();
            for position in 0..table.len() {
                if random.below(4) == 0 {
                    table.add_at(position, 2).unwrap();
                    expected.insert(table.id_at(position).to_owned(), table.count_at(position));
                }
            }
            let taken = table.take_flagged();
            taken.check_consistency();
            table.check_consistency();
            assert_eq!(counts_of(&taken), expected);
            assert!((0..table.len()).all(|position| !table.is_dirty(position)));
            assert_eq!(table.flagged_len(), 0);
        }
    }

    #[test]
    fn a_long_tail_settles_and_a_short_one_stays() {
        let mut table = SlotTable::default();
        for i in 0..1000 {
            table.push_unindexed(&format!("agent-{i:04}"), 1);
        }
        table.finish_bulk().unwrap();
        for i in 0..100 {
            table.find_or_insert(&format!("a-{}", 99 - i));
        }
        table.settle_if_long();
        assert_eq!(table.len() - table.sorted, 100, "1/10 of the run: it stays");
        table.check_consistency();
        for i in 0..100 {
            table.find_or_insert(&format!("aa-{}", 99 - i));
        }
        table.settle_if_long();
        assert!(table.is_settled(), "1/6 of the run: it settles");
        table.check_consistency();
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
        assert!(table.is_settled(), "ids added in order extend the run");
        table.check_consistency();
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(table.id_at(i), id);
            assert_eq!(table.get(id), i as u64 + 1);
        }
        // The delta flag lives in the tag byte: set on every entry, lookups still find each.
        for position in 0..ids.len() {
            table.add_at(position, 1).unwrap();
        }
        table.check_consistency();
        let clean = table.clone_clean();
        assert!((0..ids.len()).all(|position| !clean.is_dirty(position)));
        clean.check_consistency();
    }
}
