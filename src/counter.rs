//! The G-Counter itself: safe Rust that knows nothing of C.

use std::cmp::Ordering;
use std::fmt;

use crate::error::Error;
use crate::slots::{SlotTable, Vacancy};
use crate::wire;

/// A Grow-only Counter: one slot per agent, each only ever rising.
///
/// Each agent increments its own slot; [`value`](GCounter::value) is the sum of all slots;
/// [`join`](GCounter::join) takes the per-slot maximum, which is commutative, associative and
/// idempotent, so replicas that exchange states in any order, any number of times, converge.
/// An agent never seen counts as 0, and only slots above 0 are stored.
///
/// ```
/// use gcounter::GCounter;
///
/// let mut a = GCounter::new();
/// a.increment("agent-1", 1)?;
/// let mut b = GCounter::new();
/// b.increment("agent-2", 2)?;
///
/// a.join(&b);
/// assert_eq!(a.value(), 3);
/// a.join(&b); // idempotent
/// assert_eq!(a.value(), 3);
/// assert_eq!(a.to_json(), r#"{"agent-1":1,"agent-2":2}"#);
/// # Ok::<(), gcounter::Error>(())
/// ```
pub struct GCounter {
    /// The slots, in agent-id order but for those added one at a time since the last merge;
    /// the slots that rose since the last `take_delta` are flagged there (the delta record).
    slots: SlotTable,
    /// The exact sum of all slots: at most 2^32 slots of at most 2^64 - 1 each fit in a u128.
    total: u128,
}

impl GCounter {
    /// An empty counter: every agent at 0.
    pub fn new() -> Self {
        GCounter {
            slots: SlotTable::default(),
            total: 0,
        }
    }

    /// Adds `by` to `agent_id`'s slot.
    ///
    /// Only the agent that owns the slot should increment it; that is what makes the per-slot
    /// maximum of [`join`](GCounter::join) lose nothing.
    ///
    /// # Errors
    ///
    /// [`Error::ZeroIncrement`] when `by` is 0; [`Error::SlotOverflow`] when the slot would
    /// exceed `u64::MAX`. On error the counter is unchanged.
    #[inline]
    pub fn increment(&mut self, agent_id: &str, by: u64) -> Result<(), Error> {
        if by == 0 {
            return Err(Error::ZeroIncrement);
        }
        // The common case, an agent with a slot, takes one lookup and one entry update; a new
        // agent's slot is made out of line, where the lookup found it belongs.
        let position = match self.slots.find_or_vacancy(agent_id) {
            Ok(position) => position,
            Err(vacancy) => self.add_slot(agent_id, vacancy),
        };
        if self.slots.add_at(position, by).is_none() {
            return Err(Error::SlotOverflow {
                agent_id: agent_id.to_owned(),
            });
        }
        self.total += u128::from(by);
        Ok(())
    }

    /// Makes a slot (at 0) for an agent that has none, and returns its position.
    #[inline(never)]
    fn add_slot(&mut self, agent_id: &str, vacancy: Vacancy) -> usize {
        self.slots.insert_at(agent_id, vacancy)
    }

    /// Joins `other` into `self`: each slot becomes the maximum of the two.
    ///
    /// Never fails: a maximum of two `u64`s is a `u64`. Both counters' slots are in agent-id
    /// order, so a join is one pass over both (a merge), or, for a much smaller `other`, a
    /// lookup for each of its slots.
    pub fn join(&mut self, other: &GCounter) {
        if self.slots.len() == 0 {
            self.take_all_slots_of(other.clone());
            return;
        }
        self.total += self.slots.join(&other.slots);
    }

    /// Joins `other` into `self`, taking over its storage when `self` is empty.
    fn join_owned(&mut self, other: GCounter) {
        if self.slots.len() == 0 {
            self.take_all_slots_of(other);
        } else {
            self.join(&other);
        }
    }

    /// Joining into an empty counter is a copy; every copied slot rose from 0, so every slot
    /// is in the delta record.
    fn take_all_slots_of(&mut self, other: GCounter) {
        debug_assert_eq!(self.slots.len(), 0);
        self.slots = other.slots;
        self.total = other.total;
        self.slots.flag_all();
    }

    /// The sum of all slots, exact: a `u128`, since the sum of up to 2^32 - 1 slots of up to
    /// `u64::MAX` each can exceed `u64::MAX` but never `u128::MAX`. (The C API's
    /// `gcounter_value_exact` gives it as two 64-bit words.)
    ///
    /// ```
    /// use gcounter::GCounter;
    ///
    /// let mut counter = GCounter::new();
    /// counter.increment("a", u64::MAX)?;
    /// counter.increment("b", 2)?;
    /// assert_eq!(counter.value(), u128::from(u64::MAX) + 2); // 2^64 + 1
    /// # Ok::<(), gcounter::Error>(())
    /// ```
    #[inline]
    pub fn value(&self) -> u128 {
        self.total
    }

    /// The count of `agent_id`'s slot: 0 for an agent never seen.
    pub fn value_for(&self, agent_id: &str) -> u64 {
        self.slots.get(agent_id)
    }

    /// The number of agents whose count is above 0.
    pub fn agent_count(&self) -> usize {
        self.slots.len()
    }

    /// Whether every agent has the same count in both (absent counts as 0).
    pub fn equivalent(&self, other: &GCounter) -> bool {
        // Equal counts in every slot mean equal totals and equally many slots: a cheap refusal.
        self.total == other.total
            && self.agent_count() == other.agent_count()
            && self.partial_cmp(other) == Some(Ordering::Equal)
    }

    /// The slots that rose since the last call (or since this counter was made), each with its
    /// current count, and an empty record from here on.
    ///
    /// Joining every delta a replica takes into a peer that held the replica's earlier state
    /// gives the same result as joining the replica's whole state (delta-state CRDT), in any
    /// order and any number of times.
    ///
    /// ```
    /// use gcounter::GCounter;
    ///
    /// let mut replica = GCounter::new();
    /// replica.increment("a", 5)?;
    /// let mut peer = replica.take_delta();
    /// replica.increment("b", 1)?;
    /// let delta = replica.take_delta();
    /// assert_eq!(delta.to_json(), r#"{"b":1}"#);
    /// peer.join(&delta);
    /// assert!(peer.equivalent(&replica));
    /// # Ok::<(), gcounter::Error>(())
    /// ```
    pub fn take_delta(&mut self) -> GCounter {
        let delta = GCounter::from_slots(self.slots.take_flagged());
        // A replica sends its delta, then often its state: slots added one at a time since the
        // last merge join the sorted run here once there are many.
        self.slots.settle_if_long();
        delta
    }

    /// What `peer` lacks of `self`: a new counter that holds `self`'s count for every agent
    /// whose count here is above its count in `peer`, and nothing else, with an empty delta
    /// record. Neither counter changes, and neither's delta record is touched.
    ///
    /// Joining it into any copy of `peer` gives the same counter as joining `self`; it is
    /// empty exactly when `self <= peer`. A replica that has just read a peer's state replies
    /// with it: anti-entropy that sends only what is missing.
    ///
    /// ```
    /// use gcounter::GCounter;
    ///
    /// let mut mine = GCounter::from_json(br#"{"a": 5, "b": 2, "c": 1}"#)?;
    /// mine.increment("b", 1)?;
    /// let theirs = GCounter::from_json(br#"{"a": 5, "b": 2, "d": 9}"#)?;
    ///
    /// let delta = mine.delta_for(&theirs);
    /// assert_eq!(delta.to_json(), r#"{"b":3,"c":1}"#);
    ///
    /// let (mut with_delta, mut with_all) = (theirs.clone(), theirs.clone());
    /// with_delta.join(&delta);
    /// with_all.join(&mine);
    /// assert_eq!(with_delta, with_all);
    /// assert_eq!(mine.delta_for(&with_all).agent_count(), 0);
    /// # Ok::<(), gcounter::Error>(())
    /// ```
    pub fn delta_for(&self, peer: &GCounter) -> GCounter {
        // Both in agent-id order: one pass over both, or a lookup a slot when `self` is small.
        GCounter::from_slots(self.slots.above(&peer.slots))
    }

    /// The slot at `index` in canonical order (agent ids sorted by their UTF-8 bytes, the
    /// order of [`to_json`](GCounter::to_json)), as `(agent_id, count)`; `None` when `index`
    /// is not below [`agent_count`](GCounter::agent_count).
    ///
    /// Slots are kept in this order, so a call takes O(1); after agents were added one at a
    /// time since the last join, delta or load, the first call sorts those k agents and merges
    /// them into a map of all n positions (O(k log k + n)), and later calls take O(1): a walk
    /// of every slot costs O(n).
    ///
    /// ```
    /// use gcounter::GCounter;
    ///
    /// let counter = GCounter::from_json(br#"{"b": 2, "a": 1, "\u00e9": 3}"#)?;
    /// assert_eq!(counter.slot_at(0), Some(("a", 1)));
    /// assert_eq!(counter.slot_at(2), Some(("é", 3)));
    /// assert_eq!(counter.slot_at(3), None);
    /// # Ok::<(), gcounter::Error>(())
    /// ```
    pub fn slot_at(&self, index: usize) -> Option<(&str, u64)> {
        let position = self.slots.position_at_rank(index)?;
        Some((self.slots.id_at(position), self.slots.count_at(position)))
    }

    /// Every `(agent_id, count)` with a count above 0, in canonical order (agent ids sorted by
    /// their UTF-8 bytes, the order of [`to_json`](GCounter::to_json)).
    ///
    /// ```
    /// use gcounter::GCounter;
    ///
    /// let counter = GCounter::from_json(br#"{"worker-2": 4, "worker-1": 3}"#)?;
    /// let slots: Vec<(&str, u64)> = counter.slots().collect();
    /// assert_eq!(slots, [("worker-1", 3), ("worker-2", 4)]);
    /// # Ok::<(), gcounter::Error>(())
    /// ```
    pub fn slots(&self) -> Slots<'_> {
        Slots {
            counter: self,
            ranks: 0..self.agent_count(),
        }
    }

    /// The canonical JSON of the counter: sorted by agent id (UTF-8 bytes), no whitespace,
    /// zero slots omitted, counts exact.
    pub fn to_json(&self) -> String {
        let mut out = Vec::new();
        self.write_json(&mut out);
        // SAFETY: `wire::write` appends only UTF-8.
        unsafe { String::from_utf8_unchecked(out) }
    }

    /// Appends the canonical JSON to `out`, with room left for one more byte.
    pub(crate) fn write_json(&self, out: &mut Vec<u8>) {
        wire::write(&self.slots, out);
    }

    /// Parses the wire format into a new counter (with an empty delta record).
    ///
    /// ```
    /// use gcounter::GCounter;
    ///
    /// let counter = GCounter::from_json(br#"{"agent-1": 3, "agent-2": 0}"#)?;
    /// assert_eq!(counter.value(), 3);
    /// assert_eq!(counter.agent_count(), 1);
    /// assert!(GCounter::from_json(b"{\"a\": 1.5}").is_err());
    /// # Ok::<(), gcounter::Error>(())
    /// ```
    pub fn from_json(json: &[u8]) -> Result<GCounter, Error> {
        Ok(GCounter::from_slots(wire::read(json)?))
    }

    /// Parses the wire format and joins it into `self`; on error `self` is unchanged.
    pub fn join_json(&mut self, json: &[u8]) -> Result<(), Error> {
        // The document as a counter first: a failure then leaves `self` untouched, and the join
        // takes the fast paths of `join` (a move into an empty counter, the aligned pass).
        self.join_owned(GCounter::from_json(json)?);
        Ok(())
    }

    /// A counter holding the slots of `slots` (distinct ids, as the wire format and serde
    /// read them) whose counts are above 0, with an empty delta record.
    pub(crate) fn from_slots(mut slots: SlotTable) -> GCounter {
        let entries = slots.entries();
        let (total, has_zero) = entries.iter().fold((0u128, false), |(total, zero), entry| {
            (total + u128::from(entry.count), zero | (entry.count == 0))
        });
        if has_zero {
            // A count of 0 means absent: the slots above 0, in a table of their own.
            return GCounter::from_slots(slots.filtered(|entry| entry.count > 0));
        }
        slots.settle_if_long();
        GCounter { total, slots }
    }

    /// The agents whose slots rose since the last [`take_delta`](GCounter::take_delta).
    pub fn pending_delta_len(&self) -> usize {
        self.slots.flagged_len()
    }

    /// Every `(agent_id, count)` with a count above 0, in no set order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u64)> + '_ {
        self.slots
            .entries()
            .iter()
            .map(|entry| (self.slots.id_of(entry), entry.count))
    }

    /// Every `(agent_id, count)` with a count above 0, sorted by the ids' UTF-8 bytes.
    #[deprecated(
        since = "0.2.0",
        note = "use `slots()`, the same iteration with a name"
    )]
    pub fn iter_sorted(&self) -> impl Iterator<Item = (&str, u64)> + '_ {
        self.slots()
    }

    /// Bytes of heap the counter holds (for the memory benchmark).
    pub fn heap_bytes(&self) -> usize {
        self.slots.heap_bytes()
    }

    #[cfg(test)]
    pub(crate) fn check_consistency(&self) {
        self.slots.check_consistency();
        let sum: u128 = self.iter().map(|(_, count)| u128::from(count)).sum();
        assert_eq!(sum, self.total, "the cached total is the sum of the slots");
        assert!(
            self.iter().all(|(_, count)| count > 0),
            "no zero slot is stored"
        );
    }
}

/// The slots of a counter in canonical order: [`GCounter::slots`].
#[derive(Clone, Debug)]
pub struct Slots<'a> {
    counter: &'a GCounter,
    /// The ranks (places in canonical order) not yet visited.
    ranks: std::ops::Range<usize>,
}

impl<'a> Slots<'a> {
    fn slot(&self, rank: usize) -> (&'a str, u64) {
        self.counter
            .slot_at(rank)
            .expect("a rank below the number of slots")
    }
}

impl<'a> Iterator for Slots<'a> {
    type Item = (&'a str, u64);

    fn next(&mut self) -> Option<Self::Item> {
        self.ranks.next().map(|rank| self.slot(rank))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ranks.size_hint()
    }

    fn nth(&mut self, n: usize) -> Option<Self::Item> {
        self.ranks.nth(n).map(|rank| self.slot(rank))
    }
}

impl DoubleEndedIterator for Slots<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.ranks.next_back().map(|rank| self.slot(rank))
    }
}

impl ExactSizeIterator for Slots<'_> {}

impl std::iter::FusedIterator for Slots<'_> {}

/// The slots in canonical order, as [`GCounter::slots`].
impl<'a> IntoIterator for &'a GCounter {
    type Item = (&'a str, u64);
    type IntoIter = Slots<'a>;

    fn into_iter(self) -> Slots<'a> {
        self.slots()
    }
}

impl Default for GCounter {
    fn default() -> Self {
        GCounter::new()
    }
}

/// A copy of the counts with an empty delta record.
impl Clone for GCounter {
    fn clone(&self) -> Self {
        GCounter {
            slots: self.slots.clone_clean(),
            total: self.total,
        }
    }
}

/// Equality is [`equivalent`](GCounter::equivalent): the same count in every slot.
impl PartialEq for GCounter {
    fn eq(&self, other: &Self) -> bool {
        self.equivalent(other)
    }
}

impl Eq for GCounter {}

/// The lattice order: `a <= b` when every slot of `a` is at most the same slot of `b`.
/// Counters that each have increments the other lacks are incomparable (`None`).
impl PartialOrd for GCounter {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        let (mut less, mut greater) = (false, false);
        let mut shared = 0;
        for (agent_id, count) in self.iter() {
            let theirs = other.value_for(agent_id);
            if theirs > 0 {
                shared += 1;
            }
            match count.cmp(&theirs) {
                Ordering::Less => less = true,
                Ordering::Greater => greater = true,
                Ordering::Equal => {}
            }
            if less && greater {
                return None;
            }
        }
        // Slots of `other` that `self` lacks are slots where `self` is below.
        if other.agent_count() > shared {
            less = true;
        }
        match (less, greater) {
            (false, false) => Some(Ordering::Equal),
            (true, false) => Some(Ordering::Less),
            (false, true) => Some(Ordering::Greater),
            (true, true) => None,
        }
    }
}

impl fmt::Debug for GCounter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GCounter")
            .field("value", &self.total)
            .field("slots", &SortedSlots(self))
            .finish()
    }
}

/// Formats the slots as a sorted map (for `Debug`).
struct SortedSlots<'a>(&'a GCounter);

impl fmt::Debug for SortedSlots<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.slots()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counters that share a history join through the aligned pass, then by lookups: the
    /// result is the per-slot maximum, whatever part each slot went through.
    #[test]
    fn join_of_counters_sharing_a_prefix_is_the_per_slot_maximum() {
        use std::collections::BTreeMap;
        let mut base = GCounter::new();
        for i in 0..500 {
            base.increment(&format!("agent-{i}"), i + 1).unwrap();
        }
        let mut mine = base.clone();
        let mut theirs = base.clone();
        for i in (0..500).step_by(3) {
            mine.increment(&format!("agent-{i}"), 7).unwrap();
        }
        for i in (0..500).step_by(5) {
            theirs.increment(&format!("agent-{i}"), 11).unwrap();
        }
        for i in 0..50 {
            mine.increment(&format!("mine-{i}"), 1).unwrap();
            theirs.increment(&format!("theirs-{i}"), 2).unwrap();
        }
        let counts = |counter: &GCounter| -> BTreeMap<String, u64> {
            counter
                .iter()
                .map(|(id, count)| (id.to_owned(), count))
                .collect()
        };
        let mut expected = counts(&mine);
        for (id, count) in counts(&theirs) {
            let slot = expected.entry(id).or_insert(0);
            *slot = (*slot).max(count);
        }
        let mut joined = mine.clone();
        joined.join(&theirs);
        joined.check_consistency();
        assert_eq!(counts(&joined), expected);
        let mut other_way = theirs.clone();
        other_way.join(&mine);
        other_way.check_consistency();
        assert_eq!(counts(&other_way), expected);
        assert_eq!(
            joined.value(),
            expected.values().map(|&c| u128::from(c)).sum()
        );
        // Only the slots that rose are in the delta record.
        let delta = joined.take_delta();
        let rose = expected
            .iter()
            .filter(|(id, &count)| mine.value_for(id) < count);
        assert_eq!(delta.agent_count(), rose.count());
    }

    /// Random increments, joins, JSON joins and delta takes keep every internal invariant:
    /// the index, the cached total, the delta record and the sorted-order cache.
    #[test]
    fn internal_state_stays_consistent_under_random_operations() {
        let mut state = 0x9e37_79b9_u64;
        let mut next = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let mut counters = vec![GCounter::new(), GCounter::new(), GCounter::new()];
        for step in 0..20_000 {
            let i = next(3) as usize;
            let agent_id = format!("agent-{}", next(300));
            match next(7) {
                0..=2 => counters[i].increment(&agent_id, next(1000) + 1).unwrap(),
                3 => {
                    let other = counters[next(3) as usize].clone();
                    counters[i].join(&other);
                }
                4 => {
                    let json = counters[next(3) as usize].to_json();
                    counters[i].join_json(json.as_bytes()).unwrap();
                }
                5 => {
                    let peer = &counters[next(3) as usize];
                    let delta = counters[i].delta_for(peer);
                    delta.check_consistency();
                    assert_eq!(delta.pending_delta_len(), 0);
                    assert!(delta.iter().all(|(id, count)| count > peer.value_for(id)
                        && count == counters[i].value_for(id)));
                }
                _ => {
                    let delta = counters[i].take_delta();
                    delta.check_consistency();
                    assert_eq!(delta.pending_delta_len(), 0);
                }
            }
            if step % 500 == 0 {
                for counter in &counters {
                    counter.check_consistency();
                    let sorted: Vec<_> = counter.slots().collect();
                    assert!(sorted.windows(2).all(|w| w[0].0 < w[1].0));
                    assert_eq!(sorted.len(), counter.agent_count());
                }
            }
        }
    }
}
