//! The order of a table's entries: the sorted run, the tail's order, and joins as merges of
//! two sorted sequences.
//!
//! Ids order by their UTF-8 bytes, the order of the canonical JSON. An inline key orders as
//! its bytes read as one big-endian number: the id's bytes, zero padding, then the length,
//! which breaks the tie between an id and the same id with zero bytes after it.

use std::cmp::Ordering;
use std::sync::OnceLock;

use super::{adopt, id_bytes, pages, prefetch, Entry, SlotTable, EMPTY};

/// A join looks up each of the other counter's slots, rather than merging, when the other
/// has fewer than 1/LOOKUP_RATIO of this one's: a lookup costs a few cache misses, a merge
/// step a few nanoseconds over both counters.
const LOOKUP_RATIO: usize = 16;

/// A merge join's first pass stops counting the ids `self` lacks, and the rest of the join
/// goes into a fresh buffer, once they number more than `MANY_FLOOR` and more than
/// 1/MANY_RATIO of the other table's ids seen so far: making room in place would then move
/// most entries anyway.
const MANY_FLOOR: usize = 64;
const MANY_RATIO: usize = 4;

/// What the first pass of a merge join found of the ids `self` lacks.
enum Lacked {
    /// None: every one of the other table's ids is one of `self`'s.
    None,
    /// This many, few enough to make room for in place; every shared slot is raised.
    Few(usize),
    /// Many: the pass stopped. The first lacked id is the `at`-th of the other table's in id
    /// order, with `mine` of `self`'s entries before it; at most `room` ids from there on are
    /// new. Shared slots before where the pass stopped are raised.
    Many { mine: usize, at: usize, room: usize },
}

/// The ids lacked so far in a merge join's first pass.
#[derive(Default)]
struct LackedCount {
    new: usize,
    /// Where the first one is: `self`'s entries before it, and its offset among theirs.
    first: Option<(usize, usize)>,
    /// Where the pass stopped, if it did: the offset among theirs after the last one seen.
    stopped_at: Option<usize>,
}

impl LackedCount {
    /// Counts `how_many` lacked ids from offset `at` of theirs on (with `mine` of `self`'s
    /// entries before them); returns whether the pass should stop, the lacked ids being many.
    #[inline]
    fn add(&mut self, mine: usize, at: usize, how_many: usize) -> bool {
        self.first.get_or_insert((mine, at));
        self.new += how_many;
        let seen = at + how_many;
        let many = self.new > MANY_FLOOR && self.new * MANY_RATIO > seen;
        if many {
            self.stopped_at = Some(seen);
        }
        many
    }

    /// What the pass found, `theirs` being the other table's length.
    fn found(self, theirs: usize) -> Lacked {
        match (self.first, self.stopped_at) {
            (None, _) => Lacked::None,
            (Some((mine, at)), Some(stopped_at)) => Lacked::Many {
                mine,
                at,
                // The lacked ids seen, and every one after where the pass stopped.
                room: self.new + (theirs - stopped_at),
            },
            (Some(_), None) => Lacked::Few(self.new),
        }
    }
}

/// How many tail entries ahead of the one taken a walk in id order asks for.
const TAIL_AHEAD: usize = 16;

/// The tail settles into the sorted run once it holds more than 1/TAIL_RATIO of the entries
/// (and more than `TAIL_FLOOR`).
const TAIL_RATIO: usize = 8;
const TAIL_FLOOR: usize = 32;

/// The positions of the tail in id order, and the positions of all entries in id order (the
/// sorted run and the tail merged, for `slot_at`); each worked out when first asked for, and
/// dropped when the tail changes.
#[derive(Clone, Debug, Default)]
pub(super) struct TailOrder {
    positions: OnceLock<Vec<u32>>,
    ranked: OnceLock<Vec<u32>>,
}

impl TailOrder {
    pub(super) fn clear(&mut self) {
        self.positions.take();
        self.ranked.take();
    }

    pub(super) fn heap_bytes(&self) -> usize {
        let bytes = |lock: &OnceLock<Vec<u32>>| lock.get().map_or(0, |v| v.capacity() * 4);
        bytes(&self.positions) + bytes(&self.ranked)
    }
}

impl Entry {
    /// The key as one number that orders as the id does; only for inline ids.
    #[inline(always)]
    fn order_key(&self) -> u128 {
        let [low, high] = self.words();
        (u128::from(low.swap_bytes()) << 64) | u128::from(high.swap_bytes())
    }
}

/// How an entry of one table (whose long ids are in `mine_arena`) compares with one of
/// another: [`Inline`] when neither table has a long id, [`Any`] otherwise.
trait Ids: Copy {
    /// Whether neither table holds a long id, so that equal keys are equal ids.
    const INLINE_ONLY: bool;

    fn cmp(self, mine_arena: &[u8], mine: &Entry, theirs: &Entry) -> Ordering;
}

#[derive(Clone, Copy)]
struct Inline;

impl Ids for Inline {
    const INLINE_ONLY: bool = true;

    #[inline(always)]
    fn cmp(self, _: &[u8], mine: &Entry, theirs: &Entry) -> Ordering {
        mine.order_key().cmp(&theirs.order_key())
    }
}

/// The other table's arena.
#[derive(Clone, Copy)]
struct Any<'a>(&'a [u8]);

impl Ids for Any<'_> {
    const INLINE_ONLY: bool = false;

    #[inline(always)]
    fn cmp(self, mine_arena: &[u8], mine: &Entry, theirs: &Entry) -> Ordering {
        if mine.is_spilled() || theirs.is_spilled() {
            id_bytes(mine_arena, mine).cmp(id_bytes(self.0, theirs))
        } else {
            Inline.cmp(mine_arena, mine, theirs)
        }
    }
}

/// Runs `$run` with `$ids`, the comparison of entries of `$mine` with entries of `$theirs`:
/// the generic code is compiled once for tables of short ids only, once for any.
macro_rules! with_ids {
    ($mine:expr, $theirs:expr, |$ids:ident| $run:expr) => {{
        if $mine.arena.is_empty() && $theirs.arena.is_empty() {
            let $ids = Inline;
            $run
        } else {
            let $ids = Any(&$theirs.arena);
            $run
        }
    }};
}

/// The positions of a table in id order: the sorted run and the tail merged.
#[derive(Clone, Debug)]
pub(crate) struct InOrder<'a> {
    table: &'a SlotTable,
    run: std::ops::Range<usize>,
    tail: std::slice::Iter<'a, u32>,
}

impl Iterator for InOrder<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        let Some(&tail) = self.tail.as_slice().first() else {
            return self.run.next();
        };
        let tail = tail as usize;
        let take_tail = match self.run.clone().next() {
            Some(run) => self.table.position_order(tail, run).is_lt(),
            None => true,
        };
        if take_tail {
            self.tail.next();
            // The tail's entries lie in memory in the order they came, not in this one: each
            // is asked for some steps early, so that walking a long tail overlaps its misses.
            if let Some(&ahead) = self.tail.as_slice().get(TAIL_AHEAD) {
                prefetch(
                    self.table
                        .entries
                        .as_ptr()
                        .wrapping_add(ahead as usize)
                        .cast(),
                );
            }
            Some(tail)
        } else {
            self.run.next()
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let len = self.run.len() + self.tail.len();
        (len, Some(len))
    }
}

impl DoubleEndedIterator for InOrder<'_> {
    #[inline]
    fn next_back(&mut self) -> Option<usize> {
        let Some(&tail) = self.tail.as_slice().last() else {
            return self.run.next_back();
        };
        let tail = tail as usize;
        let take_tail = match self.run.clone().next_back() {
            Some(run) => self.table.position_order(tail, run).is_gt(),
            None => true,
        };
        if take_tail {
            self.tail.next_back();
            Some(tail)
        } else {
            self.run.next_back()
        }
    }
}

impl ExactSizeIterator for InOrder<'_> {}

impl SlotTable {
    /// How two entries of this table order by id.
    #[inline]
    pub(super) fn id_order(&self, a: &Entry, b: &Entry) -> Ordering {
        Any(&self.arena).cmp(&self.arena, a, b)
    }

    fn position_order(&self, a: usize, b: usize) -> Ordering {
        self.id_order(&self.entries[a], &self.entries[b])
    }

    /// How many entries after the one at `from` follow it in strictly rising id order.
    pub(super) fn rising_after(&self, from: usize) -> usize {
        let Some((first, rest)) = self.entries.get(from..).and_then(<[Entry]>::split_first) else {
            return 0;
        };
        if self.arena.is_empty() {
            // Each key read once, as one number.
            let mut last = first.order_key();
            return rest
                .iter()
                .take_while(|entry| {
                    let key = entry.order_key();
                    let rising = key > last;
                    last = key;
                    rising
                })
                .count();
        }
        let mut last = first;
        rest.iter()
            .take_while(|entry| {
                let rising = self.id_order(last, entry).is_lt();
                last = entry;
                rising
            })
            .count()
    }

    /// Whether every entry is in the sorted run.
    pub(crate) fn is_settled(&self) -> bool {
        self.sorted == self.entries.len()
    }

    /// The positions in id order.
    pub(crate) fn in_order(&self) -> InOrder<'_> {
        InOrder {
            table: self,
            run: 0..self.sorted,
            tail: self.tail_order().iter(),
        }
    }

    /// The tail's positions in id order.
    fn tail_order(&self) -> &[u32] {
        if self.is_settled() {
            return &[];
        }
        self.tail.positions.get_or_init(|| self.sorted_tail())
    }

    /// The tail's positions, sorted by id.
    fn sorted_tail(&self) -> Vec<u32> {
        if !self.arena.is_empty() {
            let mut positions: Vec<u32> = (self.sorted as u32..self.entries.len() as u32).collect();
            positions.sort_unstable_by(|&a, &b| self.position_order(a as usize, b as usize));
            return positions;
        }
        let tail = &self.entries[self.sorted..];
        let first = tail.first().map_or(0, Entry::order_key);
        // The bytes every tail key shares (ids from one naming scheme share many), so that
        // what differs fits beside the position in one number.
        let differ = tail
            .iter()
            .fold(0u128, |differ, entry| differ | (entry.order_key() ^ first));
        // (At most 12: the position takes the low 4 bytes. Keys that all agree, as a tail of
        // one, have nothing to sort by.)
        let shared = (differ.leading_zeros() / 8).min(12);
        if shared >= 4 {
            // The key's other bytes and the position as one 128-bit number: a sort of plain
            // numbers, half the size of key and position side by side.
            let shift = 8 * shared;
            let mut packed: Vec<u128> = tail
                .iter()
                .zip(self.sorted as u128..)
                .map(|(entry, position)| (entry.order_key() << shift) | position)
                .collect();
            packed.sort_unstable();
            return packed.into_iter().map(|packed| packed as u32).collect();
        }
        // The keys beside the positions: a sort that reads memory in order.
        let mut keyed: Vec<(u128, u32)> = tail
            .iter()
            .zip(self.sorted as u32..)
            .map(|(entry, position)| (entry.order_key(), position))
            .collect();
        keyed.sort_unstable_by_key(|&(key, _)| key);
        keyed.into_iter().map(|(_, p)| p).collect()
    }

    /// Every position in id order: the sorted run and the tail merged, so that each `slot_at`
    /// after the first takes O(1) and a walk of all slots O(n).
    fn ranked_positions(&self) -> &[u32] {
        self.tail.ranked.get_or_init(|| {
            let run = &self.entries[..self.sorted];
            let mut ranked = Vec::with_capacity(self.entries.len());
            let mut next = 0;
            for &position in self.tail_order() {
                let entry = &self.entries[position as usize];
                let before =
                    next + run[next..].partition_point(|mine| self.id_order(mine, entry).is_lt());
                ranked.extend(next as u32..before as u32);
                ranked.push(position);
                next = before;
            }
            ranked.extend(next as u32..run.len() as u32);
            ranked
        })
    }

    /// The position of the entry `rank`-th in id order, if there are that many.
    pub(crate) fn position_at_rank(&self, rank: usize) -> Option<usize> {
        if rank >= self.entries.len() {
            return None;
        }
        if self.is_settled() {
            return Some(rank);
        }
        Some(self.ranked_positions()[rank] as usize)
    }

    /// Merges the tail into the sorted run, in place. Positions change, so the index and the
    /// delta record must follow (`Ok(true)`); `Err(())` if a tail id is also elsewhere, which
    /// only a bulk load can bring (the table must then be dropped).
    pub(super) fn merge_tail(&mut self) -> Result<bool, ()> {
        if self.is_settled() {
            return Ok(false);
        }
        let order = match self.tail.positions.take() {
            Some(order) => order,
            None => self.sorted_tail(),
        };
        let tail: Vec<Entry> = order.iter().map(|&p| self.entries[p as usize]).collect();
        if tail
            .windows(2)
            .any(|pair| self.id_order(&pair[0], &pair[1]).is_eq())
        {
            return Err(());
        }
        let unmoved = self.merge_backward(&tail)?;
        self.sorted = self.entries.len();
        self.tail.clear();
        self.remap_flagged(unmoved);
        Ok(true)
    }

    /// Writes the sorted run and `tail` (sorted, as long as the table's tail) merged over the
    /// entries, from the back; returns how many leading entries kept their place.
    fn merge_backward(&mut self, tail: &[Entry]) -> Result<usize, ()> {
        let mut run = self.sorted;
        let mut write = self.entries.len();
        for theirs in tail.iter().rev() {
            while run > 0 {
                match self.id_order(&self.entries[run - 1], theirs) {
                    Ordering::Greater => {
                        write -= 1;
                        run -= 1;
                        self.entries[write] = self.entries[run];
                    }
                    Ordering::Equal => return Err(()),
                    Ordering::Less => break,
                }
            }
            write -= 1;
            self.entries[write] = *theirs;
        }
        debug_assert_eq!(write, run);
        Ok(run)
    }

    /// After a merge that kept the first `unmoved` entries in place: the flagged positions,
    /// found again from the flags of the entries that moved.
    fn remap_flagged(&mut self, unmoved: usize) {
        self.flagged
            .retain(|&position| (position as usize) < unmoved);
        let mut flags = NewlyFlagged::default();
        for (offset, entry) in self.entries[unmoved..].iter().enumerate() {
            flags.note(unmoved + offset, entry.is_dirty(), &mut self.flagged);
        }
        flags.finish(&mut self.flagged);
    }

    /// Merges the tail into the sorted run and indexes the result, keeping no spare room: the
    /// table has just taken in every slot it was given one at a time.
    pub(crate) fn settle(&mut self) {
        if self.settle_in_place() {
            self.entries.shrink_to_fit();
        }
    }

    /// Whether a new agent should settle the tail before joining it: the tail is long and a
    /// walk in id order (`to_json`, `slot_at`, a join from this table) has already sorted it.
    /// A new agent would otherwise drop that sort, and the next walk would sort the whole tail
    /// again and read it out of memory order; settling reuses the sort, once per walk that
    /// found the tail long.
    #[inline]
    pub(super) fn settles_before_the_tail_grows(&self) -> bool {
        let tail = self.entries.len() - self.sorted;
        tail > TAIL_FLOOR && tail * TAIL_RATIO > self.sorted && self.tail.positions.get().is_some()
    }

    /// Merges the tail into the sorted run and indexes the result, keeping the entries' spare
    /// room: for a table that goes on taking slots one at a time. Returns whether it had a
    /// tail.
    pub(super) fn settle_in_place(&mut self) -> bool {
        let moved = self
            .merge_tail()
            .expect("the ids of one table are distinct");
        if moved {
            self.rebuild_index(0);
        }
        moved
    }

    /// [`settle`](Self::settle)s once the tail is long enough that walking it in id order
    /// costs more than a merge.
    pub(crate) fn settle_if_long(&mut self) {
        let tail = self.entries.len() - self.sorted;
        if tail > TAIL_FLOOR && tail * TAIL_RATIO > self.sorted {
            self.settle();
        }
    }

    /// Joins `other` into `self`: each slot becomes the maximum of the two, and every slot
    /// that rose is flagged. Returns how much the sum of the counts rose.
    pub(crate) fn join(&mut self, other: &SlotTable) -> u128 {
        if other.entries.len() * LOOKUP_RATIO < self.entries.len() {
            self.join_by_lookups(other)
        } else {
            self.join_by_merge(other)
        }
    }

    /// A join that looks each of `other`'s slots up, with the index's cache misses overlapped
    /// by prefetching; new slots join the tail.
    fn join_by_lookups(&mut self, other: &SlotTable) -> u128 {
        // Room first, before any slot changes: a counter that would pass the agent limit
        // stops here, untouched.
        self.reserve(other.entries.len());
        let mut rise = 0u128;
        visit_hashed(
            self,
            other,
            other.entries.iter(),
            |me, hash| me.prefetch_bucket(hash),
            |me, hash| me.prefetch_bucket_entry(hash),
            |me, entry, hash| {
                let (position, _) = me.find_or_insert_hashed(other.id_of(entry), hash);
                if entry.count > me.entries[position].count {
                    rise += u128::from(me.raise(position, entry.count));
                }
            },
        );
        self.settle_if_long();
        rise
    }

    /// A join as a merge of the two sorted sequences. A first pass raises the slots both
    /// hold, in place, and counts the ids `self` lacks. If they are few, a second pass makes
    /// room for them in place, from the back, so that only the entries after the first of them
    /// move and the table grows by just what it takes in. If they turn out to be many, the
    /// first pass stops, and the rest is merged into a fresh buffer from the first lacked id
    /// on, each entry written once. Either way the index is built again.
    fn join_by_merge(&mut self, other: &SlotTable) -> u128 {
        // Room first, before any slot changes: a counter that would pass the agent limit
        // stops here, untouched (counting the new agents takes a pass only so close to it).
        if self.entries.len() + other.entries.len() >= EMPTY as usize {
            self.check_room(self.lacked(other));
        }
        let moved = self
            .merge_tail()
            .expect("the ids of one table are distinct");
        let (rise, grew) = with_ids!(self, other, |ids| if other.is_settled() {
            let theirs = &other.entries[..];
            match self.raise_shared_sorted(theirs, ids) {
                (rise, Lacked::None) => (rise, false),
                (rise, Lacked::Few(new)) => (
                    rise + self.insert_few(other, theirs.iter().rev(), new, ids),
                    true,
                ),
                (rise, Lacked::Many { mine, at, room }) => {
                    let rest = theirs[at..].iter();
                    (rise + self.merge_rest(other, rest, room, mine, ids), true)
                }
            }
        } else {
            let theirs = || other.in_order().map(|p| &other.entries[p]);
            match self.raise_shared(theirs(), other.entries.len(), ids) {
                (rise, Lacked::None) => (rise, false),
                (rise, Lacked::Few(new)) => (
                    rise + self.insert_few(other, theirs().rev(), new, ids),
                    true,
                ),
                (rise, Lacked::Many { mine, at, room }) => {
                    let rest = theirs().skip(at).peekable();
                    (rise + self.merge_rest(other, rest, room, mine, ids), true)
                }
            }
        });
        if moved || grew {
            self.rebuild_index(0);
        }
        rise
    }

    /// How many of `other`'s ids `self` lacks.
    pub(super) fn lacked(&self, other: &SlotTable) -> usize {
        let mut mine = self.in_order().map(|p| &self.entries[p]).peekable();
        with_ids!(self, other, |ids| other
            .in_order()
            .filter(|&position| {
                let entry = &other.entries[position];
                while mine
                    .next_if(|kept| ids.cmp(&self.arena, kept, entry).is_lt())
                    .is_some()
                {}
                mine.peek()
                    .map_or(true, |kept| ids.cmp(&self.arena, kept, entry).is_gt())
            })
            .count())
    }

    /// Stops a join that would pass the agent limit.
    fn check_room(&self, new: usize) {
        assert!(
            self.entries.len() + new < EMPTY as usize,
            "a counter holds at most 2^32 - 1 agents"
        );
    }

    /// The first pass of a merge join (`self` settled): raises each slot that `theirs`, in id
    /// order (`len` of them), holds higher, and counts the ids `self` lacks, stopping once
    /// they are many. Returns the total rise and what it found of the lacked ids.
    fn raise_shared<'a>(
        &mut self,
        theirs: impl Iterator<Item = &'a Entry>,
        len: usize,
        ids: impl Ids,
    ) -> (u128, Lacked) {
        let mine_len = self.entries.len();
        let (mut rise, mut mine) = (0u128, 0usize);
        let mut flags = NewlyFlagged::default();
        let mut count = LackedCount::default();
        'theirs: for (at, entry) in theirs.enumerate() {
            while mine < mine_len {
                match ids.cmp(&self.arena, &self.entries[mine], entry) {
                    Ordering::Less => mine += 1,
                    Ordering::Equal => {
                        let (by, newly) = self.entries[mine].raise_to(entry.count);
                        rise += u128::from(by);
                        flags.note(mine, newly, &mut self.flagged);
                        mine += 1;
                        continue 'theirs;
                    }
                    Ordering::Greater => break,
                }
            }
            if count.add(mine, at, 1) {
                break;
            }
        }
        flags.finish(&mut self.flagged);
        (rise, count.found(len))
    }

    /// [`raise_shared`](Self::raise_shared) for a settled `theirs`, with the ids both hold
    /// at the same offset (all of them, when the two have the same agents) taken in lockstep,
    /// with no comparison beyond equality.
    fn raise_shared_sorted<I: Ids>(&mut self, theirs: &[Entry], ids: I) -> (u128, Lacked) {
        let (mut rise, mut mine, mut at) = (0u128, 0usize, 0usize);
        let mut flags = NewlyFlagged::default();
        let mut count = LackedCount::default();
        while let Some(entry) = theirs.get(at) {
            let Some(mine_entry) = self.entries.get(mine) else {
                // The rest sort after every one of `self`'s.
                count.add(mine, at, theirs.len() - at);
                break;
            };
            match ids.cmp(&self.arena, mine_entry, entry) {
                Ordering::Less => mine += 1,
                Ordering::Greater => {
                    if count.add(mine, at, 1) {
                        break;
                    }
                    at += 1;
                }
                Ordering::Equal => {
                    // After a shared id, the next ones are most often shared too.
                    let (by, same) = raise_lockstep::<I>(
                        &mut self.entries[mine..],
                        &theirs[at..],
                        mine,
                        &mut flags,
                        &mut self.flagged,
                    );
                    let (by, same) = if same == 0 {
                        let (by, newly) = self.entries[mine].raise_to(entry.count);
                        flags.note(mine, newly, &mut self.flagged);
                        (u128::from(by), 1)
                    } else {
                        (by, same)
                    };
                    rise += by;
                    (mine, at) = (mine + same, at + same);
                }
            }
        }
        flags.finish(&mut self.flagged);
        (rise, count.found(theirs.len()))
    }

    /// The second pass of a merge join whose first pass found `new` ids that `self` lacks, few
    /// enough to make room for in place: `theirs` from the back of the id order, merged with
    /// `self`'s entries from the back, so that only the entries after the first new id move
    /// and the table grows by exactly `new`. Returns the sum of the new slots' counts.
    fn insert_few<'a>(
        &mut self,
        other: &SlotTable,
        theirs: impl Iterator<Item = &'a Entry>,
        new: usize,
        ids: impl Ids,
    ) -> u128 {
        let mut mine = self.entries.len();
        // The added room is first filled with copies of a blank entry, each overwritten below.
        self.entries.reserve_exact(new);
        self.entries.resize(mine + new, Entry::BLANK);
        let mut write = self.entries.len();
        let mut added = 0u128;
        // Every moved position changes: the flags say which are in the delta record.
        let mut moved_flags = Vec::new();
        'theirs: for entry in theirs {
            if write == mine {
                // Every new entry is placed; the ones before stay where they are.
                break;
            }
            while mine > 0 {
                let order = ids.cmp(&self.arena, &self.entries[mine - 1], entry);
                if order.is_lt() {
                    break;
                }
                (mine, write) = (mine - 1, write - 1);
                self.entries[write] = self.entries[mine];
                if self.entries[write].is_dirty() {
                    moved_flags.push(write as u32);
                }
                if order.is_eq() {
                    continue 'theirs;
                }
            }
            write -= 1;
            self.entries[write] = adopt(&mut self.arena, other, entry).flagged(true);
            moved_flags.push(write as u32);
            added += u128::from(entry.count);
        }
        debug_assert_eq!(write, mine, "every new entry placed, the rest unmoved");
        self.flagged.retain(|&position| (position as usize) < mine);
        self.flagged.extend(moved_flags);
        self.sorted = self.entries.len();
        added
    }

    /// The second pass of a merge join, from the first id `self` lacks: `theirs` (in id
    /// order, from that id on) merged with `self`'s entries from `from` on into a fresh
    /// buffer, so that each entry is written once and the old buffer is neither copied nor
    /// cleared first. Slots both hold are raised; `self`'s first `from` entries keep their
    /// places; `room` is at least how many of `theirs` are new to `self` (the first pass's
    /// bound). Returns how much the sum of the counts rose.
    fn merge_rest<'a, I: Ids>(
        &mut self,
        other: &SlotTable,
        mut theirs: impl Upcoming<'a>,
        room: usize,
        from: usize,
        ids: I,
    ) -> u128 {
        let mine = std::mem::take(&mut self.entries);
        // Room for every entry of `self` and for as many new ids as `room` allows; what is left
        // over is given back at the end, never having been written.
        let mut merged: Vec<Entry> = pages::vec_with_capacity(mine.len() + room);
        merged.extend_from_slice(&mine[..from]);
        let mut rise = Rise::default();
        let mut kept_rest = mine[from..].iter();
        // While both have entries left, each goes into the buffer's spare room through a
        // checked index, without a push's update of the length and check for growth.
        let room_left = &mut merged.spare_capacity_mut()[..kept_rest.len() + room];
        let mut written = 0;
        while let (Some(&kept), Some(&entry)) = (kept_rest.as_slice().first(), theirs.upcoming()) {
            // Short ids only: their order keys compared, and the other table's entry copied.
            // Spelled out here, the loop is faster than through `ids`, whose code is the same.
            let order = if I::INLINE_ONLY {
                let (kept_key, key) = (kept.order_key(), entry.order_key());
                if kept_key < key {
                    Ordering::Less
                } else if kept_key > key {
                    Ordering::Greater
                } else {
                    Ordering::Equal
                }
            } else {
                ids.cmp(&self.arena, &kept, &entry)
            };
            match order {
                Ordering::Less => {
                    room_left[written].write(kept);
                    written += 1;
                    kept_rest.next();
                }
                Ordering::Greater => {
                    let adopted = if I::INLINE_ONLY {
                        entry
                    } else {
                        adopt(&mut self.arena, other, &entry)
                    };
                    room_left[written].write(adopted.flagged(true));
                    written += 1;
                    rise.add(entry.count);
                    theirs.next();
                }
                Ordering::Equal => {
                    let by = entry.count.saturating_sub(kept.count);
                    let dirty = kept.is_dirty() | (by > 0);
                    room_left[written]
                        .write(Entry::from_words(kept.count + by, kept.words()).flagged(dirty));
                    written += 1;
                    rise.add(by);
                    kept_rest.next();
                    theirs.next();
                }
            }
        }
        // SAFETY: the loop wrote the first `written` entries of the spare room, each through a
        // checked index into it, so `from + written` is within the capacity.
        unsafe { merged.set_len(from + written) };
        merged.extend_from_slice(kept_rest.as_slice());
        for entry in theirs {
            merged.push(adopt(&mut self.arena, other, entry).flagged(true));
            rise.add(entry.count);
        }
        self.entries = merged;
        self.sorted = self.entries.len();
        // Every later position may have changed: the record of those is made again from the
        // flags, in a pass of its own (noting them in the loop above slows it more).
        self.remap_flagged(from);
        self.entries.shrink_to_fit();
        rise.total()
    }

    /// A table of the entries of `self` whose count is above the same slot's in `peer`, in id
    /// order and indexed.
    pub(crate) fn above(&self, peer: &SlotTable) -> SlotTable {
        let mut out = SlotTable::default();
        if self.entries.len() * LOOKUP_RATIO < peer.entries.len() {
            let mine = self.in_order().map(|p| &self.entries[p]);
            visit_hashed(
                &mut out,
                self,
                mine,
                |_, hash| peer.prefetch_bucket(hash),
                |_, hash| peer.prefetch_bucket_entry(hash),
                |out, entry, hash| {
                    if entry.count > peer.get_hashed(self.id_of(entry), hash) {
                        out.push_copy(self, entry);
                    }
                },
            );
        } else {
            with_ids!(self, peer, |ids| self.above_by_merge(peer, &mut out, ids));
        }
        out.finish_bulk()
            .expect("the ids of one table are distinct");
        out
    }

    fn above_by_merge(&self, peer: &SlotTable, out: &mut SlotTable, ids: impl Ids) {
        let mut theirs = peer.in_order().map(|p| &peer.entries[p]).peekable();
        for position in self.in_order() {
            let mine = &self.entries[position];
            let mut theirs_count = 0;
            while let Some(&entry) = theirs.peek() {
                match ids.cmp(&self.arena, mine, entry) {
                    Ordering::Greater => {
                        theirs.next();
                    }
                    Ordering::Equal => {
                        theirs_count = entry.count;
                        break;
                    }
                    Ordering::Less => break,
                }
            }
            if mine.count > theirs_count {
                out.push_copy(self, mine);
            }
        }
    }
}

impl Entry {
    /// Raises the count to `count` if that is above it, flagging the entry: returns the rise
    /// and whether the flag is new. Without branches, since whether a slot rose follows no
    /// pattern a processor could predict.
    #[inline(always)]
    fn raise_to(&mut self, count: u64) -> (u64, bool) {
        let rose = count > self.count;
        let newly = rose & !self.is_dirty();
        let by = count.saturating_sub(self.count);
        self.count = self.count.max(count);
        self.key[15] |= u8::from(rose) << 7;
        (by, newly)
    }
}

/// Raises each of `mine` (whose first is at `offset`) to the count of the same place in
/// `theirs` while the two hold the same short id; returns the total rise and how many.
#[inline(always)]
fn raise_lockstep<I: Ids>(
    mine: &mut [Entry],
    theirs: &[Entry],
    offset: usize,
    flags: &mut NewlyFlagged,
    flagged: &mut Vec<u32>,
) -> (u128, usize) {
    let mut rise = Rise::default();
    let mut same = 0;
    for (entry, theirs) in mine.iter_mut().zip(theirs) {
        // Equal keys of an inline id are equal ids; a long id's key is an arena offset.
        if entry.words() != theirs.words() || (!I::INLINE_ONLY && entry.is_spilled()) {
            break;
        }
        let (by, newly) = entry.raise_to(theirs.count);
        rise.add(by);
        flags.note(offset + same, newly, flagged);
        same += 1;
    }
    (rise.total(), same)
}

/// A sum of counts kept as a low word and a count of the carries out of it: a `u128` sum is
/// kept in memory in the loops that add to it, a chain of loads and stores through the loop.
#[derive(Default)]
struct Rise {
    low: u64,
    carries: u64,
}

impl Rise {
    #[inline(always)]
    fn add(&mut self, by: u64) {
        let (sum, carry) = self.low.overflowing_add(by);
        (self.low, self.carries) = (sum, self.carries + u64::from(carry));
    }

    fn total(&self) -> u128 {
        (u128::from(self.carries) << 64) | u128::from(self.low)
    }
}

/// Entries in id order whose next one a merge can look at before taking it.
trait Upcoming<'a>: Iterator<Item = &'a Entry> {
    fn upcoming(&mut self) -> Option<&'a Entry>;
}

/// A settled table's entries: the next one is read in place, with no state beside the slice.
impl<'a> Upcoming<'a> for std::slice::Iter<'a, Entry> {
    #[inline(always)]
    fn upcoming(&mut self) -> Option<&'a Entry> {
        self.as_slice().first()
    }
}

impl<'a, I: Iterator<Item = &'a Entry>> Upcoming<'a> for std::iter::Peekable<I> {
    #[inline(always)]
    fn upcoming(&mut self) -> Option<&'a Entry> {
        self.peek().copied()
    }
}

/// Positions flagged during a pass, noted without a branch on whether each one is, and added
/// to the table's record a block at a time.
struct NewlyFlagged {
    block: [u32; 64],
    len: usize,
}

impl Default for NewlyFlagged {
    fn default() -> Self {
        NewlyFlagged {
            block: [0; 64],
            len: 0,
        }
    }
}

impl NewlyFlagged {
    #[inline(always)]
    fn note(&mut self, position: usize, newly: bool, flagged: &mut Vec<u32>) {
        self.block[self.len % 64] = position as u32;
        self.len += usize::from(newly);
        if self.len == self.block.len() {
            flagged.extend_from_slice(&self.block);
            self.len = 0;
        }
    }

    fn finish(self, flagged: &mut Vec<u32>) {
        flagged.extend_from_slice(&self.block[..self.len]);
    }
}

/// Calls `visit` with each of `entries` (of `table`) and its index hash, having hashed each
/// `AHEAD` entries early and passed the hash to `prefetch_bucket`, then `AHEAD / 2` entries
/// early to `prefetch_entry` (the bucket being in cache by then): loops that look each entry
/// up in another table then overlap both cache misses of each lookup with others'.
#[inline(always)]
fn visit_hashed<'a, S>(
    state: &mut S,
    table: &SlotTable,
    entries: impl Iterator<Item = &'a Entry>,
    prefetch_bucket: impl Fn(&S, u64),
    prefetch_entry: impl Fn(&S, u64),
    mut visit: impl FnMut(&mut S, &'a Entry, u64),
) {
    const AHEAD: usize = 16;
    let mut hashed = entries.map(|entry| (entry, table.hash_entry(entry)));
    let mut upcoming: [Option<(&Entry, u64)>; AHEAD] = [None; AHEAD];
    for slot in upcoming.iter_mut() {
        *slot = hashed.next();
        if let Some((_, hash)) = *slot {
            prefetch_bucket(state, hash);
        }
    }
    let mut i = 0;
    while let Some((entry, hash)) = upcoming[i] {
        upcoming[i] = hashed.next();
        if let Some((_, ahead)) = upcoming[i] {
            prefetch_bucket(state, ahead);
        }
        if let Some((_, half)) = upcoming[(i + AHEAD / 2) % AHEAD] {
            prefetch_entry(state, half);
        }
        visit(state, entry, hash);
        i = (i + 1) % AHEAD;
    }
}
