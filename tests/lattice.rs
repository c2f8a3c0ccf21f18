//! The lattice laws of `join` and the order of `PartialOrd`, on random counters.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use gcounter::GCounter;
use proptest::prelude::*;

/// Agent ids from a small alphabet, so that random counters share agents often.
fn agent_id() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-d]{1,2}",
        Just("é\u{0}".to_string()),
        Just("\u{1F600}".to_string()),
    ]
}

fn counts() -> impl Strategy<Value = BTreeMap<String, u64>> {
    prop::collection::btree_map(agent_id(), 1..1_000u64, 0..8)
}

fn counter(counts: &BTreeMap<String, u64>) -> GCounter {
    let mut counter = GCounter::new();
    for (agent_id, &count) in counts {
        counter.increment(agent_id, count).unwrap();
    }
    counter
}

fn joined(a: &GCounter, b: &GCounter) -> GCounter {
    let mut out = a.clone();
    out.join(b);
    out
}

/// The per-slot order of two count maps, computed directly.
fn slot_order(a: &BTreeMap<String, u64>, b: &BTreeMap<String, u64>) -> Option<Ordering> {
    let (mut less, mut greater) = (false, false);
    for agent_id in a.keys().chain(b.keys()) {
        let (x, y) = (
            a.get(agent_id).copied().unwrap_or(0),
            b.get(agent_id).copied().unwrap_or(0),
        );
        less |= x < y;
        greater |= x > y;
    }
    match (less, greater) {
        (false, false) => Some(Ordering::Equal),
        (true, false) => Some(Ordering::Less),
        (false, true) => Some(Ordering::Greater),
        (true, true) => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn join_is_commutative(a in counts(), b in counts()) {
        let (a, b) = (counter(&a), counter(&b));
        let (ab, ba) = (joined(&a, &b), joined(&b, &a));
        prop_assert_eq!(&ab, &ba);
        prop_assert_eq!(ab.to_json(), ba.to_json());
    }

    #[test]
    fn join_is_associative(a in counts(), b in counts(), c in counts()) {
        let (a, b, c) = (counter(&a), counter(&b), counter(&c));
        let left = joined(&joined(&a, &b), &c);
        let right = joined(&a, &joined(&b, &c));
        prop_assert_eq!(left.to_json(), right.to_json());
    }

    #[test]
    fn join_is_idempotent(a in counts()) {
        let a = counter(&a);
        prop_assert_eq!(joined(&a, &a).to_json(), a.to_json());
    }

    #[test]
    fn join_is_the_least_upper_bound(a in counts(), b in counts()) {
        let (ca, cb) = (counter(&a), counter(&b));
        let j = joined(&ca, &cb);
        prop_assert!(ca <= j && cb <= j);
        for agent_id in a.keys().chain(b.keys()) {
            let expected = a.get(agent_id).copied().unwrap_or(0).max(b.get(agent_id).copied().unwrap_or(0));
            prop_assert_eq!(j.value_for(agent_id), expected);
        }
        let expected_total: u128 = j.iter().map(|(_, c)| u128::from(c)).sum();
        prop_assert_eq!(j.value(), expected_total);
    }

    #[test]
    fn increments_are_inflations(a in counts(), agent_id in agent_id(), by in 1..u64::from(u32::MAX)) {
        let before = counter(&a);
        let mut after = before.clone();
        after.increment(&agent_id, by).unwrap();
        prop_assert_eq!(before.partial_cmp(&after), Some(Ordering::Less));
        prop_assert_eq!(after.value(), before.value() + u128::from(by));
        prop_assert_eq!(after.value_for(&agent_id), before.value_for(&agent_id) + by);
    }

    #[test]
    fn compare_agrees_with_the_per_slot_order(a in counts(), b in counts()) {
        let (ca, cb) = (counter(&a), counter(&b));
        prop_assert_eq!(ca.partial_cmp(&cb), slot_order(&a, &b));
        prop_assert_eq!(ca.equivalent(&cb), a == b);
        // A counter is below its join with anything: the usual way to get LESS.
        let j = joined(&ca, &cb);
        prop_assert_eq!(ca.partial_cmp(&j), slot_order(&a, &j.iter().map(|(k, v)| (k.to_string(), v)).collect()));
    }

    #[test]
    fn deltas_in_any_order_and_repeated_equal_the_full_state(
        start in counts(),
        rounds in prop::collection::vec(counts(), 1..5),
        seed in any::<u64>(),
    ) {
        let mut replica = counter(&start);
        let mut peer = replica.take_delta();
        let mut deltas = Vec::new();
        for round in &rounds {
            for (agent_id, &by) in round {
                replica.increment(agent_id, by).unwrap();
            }
            deltas.push(replica.take_delta());
        }
        // Deliver every delta twice, in a shuffled order.
        let mut order: Vec<usize> = (0..deltas.len()).chain(0..deltas.len()).collect();
        let mut state = seed | 1;
        for i in (1..order.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            order.swap(i, (state % (i as u64 + 1)) as usize);
        }
        for i in order {
            peer.join(&deltas[i]);
        }
        prop_assert_eq!(peer.to_json(), replica.to_json());
    }

    #[test]
    fn json_round_trips(a in counts()) {
        let c = counter(&a);
        let json = c.to_json();
        let back = GCounter::from_json(json.as_bytes()).unwrap();
        prop_assert_eq!(back.to_json(), json);
        prop_assert_eq!(&back, &c);
    }
}

#[test]
fn a_delta_holds_what_rose_with_its_current_count() {
    let mut c = GCounter::new();
    c.increment("a", 1).unwrap();
    c.increment("b", 2).unwrap();
    assert_eq!(c.take_delta().to_json(), r#"{"a":1,"b":2}"#);
    assert_eq!(c.take_delta().to_json(), "{}");
    c.increment("a", 4).unwrap();
    c.join_json(br#"{"b":1,"c":7}"#).unwrap(); // b does not rise: not in the delta
    let mut other = GCounter::new();
    other.increment("d", 1).unwrap();
    c.join(&other);
    assert_eq!(c.take_delta().to_json(), r#"{"a":5,"c":7,"d":1}"#);
    // A counter made by clone or from_json starts with an empty record.
    assert_eq!(c.clone().take_delta().to_json(), "{}");
    assert_eq!(
        GCounter::from_json(br#"{"x":1}"#)
            .unwrap()
            .take_delta()
            .to_json(),
        "{}"
    );
}

#[test]
fn join_into_an_empty_counter_records_every_slot_in_the_delta() {
    let mut source = GCounter::new();
    source.increment("a", 3).unwrap();
    let mut empty = GCounter::new();
    empty.join(&source);
    assert_eq!(empty.take_delta().to_json(), r#"{"a":3}"#);
    empty.increment("a", 1).unwrap();
    assert_eq!(empty.value_for("a"), 4);
    assert_eq!(source.value_for("a"), 3);
}

/// Joins of counters large enough that their tables take fresh memory in huge pages (buffers
/// of 2 MiB and more): a third of the agents shared, the rest on one side only, interleaved in
/// id order, with a slot flagged before the join; the result, its delta and lookups through
/// the rebuilt index must be what a map computes.
#[test]
fn large_joins_keep_every_slot_and_record_what_rose() {
    const AGENTS: u64 = 240_000;
    let id = |n: u64| format!("agent-{n:08}");
    // Mine: the even agents, and every third odd one; theirs: the odd agents and every third
    // even one, higher by 1 on even agents. Added in a scrambled order.
    let mut mine = BTreeMap::new();
    let mut theirs = BTreeMap::new();
    for n in (0..AGENTS).map(|i| i * 7_919 % AGENTS) {
        if n % 2 == 0 || n % 3 == 0 {
            mine.insert(id(n), 1 + n % 5);
        }
        if n % 2 == 1 || n % 3 == 0 {
            theirs.insert(id(n), 1 + n % 5 + (n + 1) % 2);
        }
    }
    let mut a = GCounter::new();
    for n in (0..AGENTS).map(|i| i * 7_919 % AGENTS) {
        if let Some(&count) = mine.get(&id(n)) {
            a.increment(&id(n), count).unwrap();
        }
    }
    let b = counter(&theirs);
    let _ = a.take_delta();
    // Slots flagged before the join stay in the delta, with their new count.
    a.increment(&id(0), 1).unwrap();
    *mine.get_mut(&id(0)).unwrap() += 1;
    a.join(&b);

    let mut expected = mine.clone();
    for (agent_id, &count) in &theirs {
        let slot = expected.entry(agent_id.clone()).or_insert(0);
        *slot = (*slot).max(count);
    }
    assert_eq!(a.slots().collect::<Vec<_>>(), expected_pairs(&expected));
    assert_eq!(a.value(), expected.values().map(|&c| u128::from(c)).sum());
    for n in [0, 1, 2, 3, AGENTS / 2, AGENTS - 1] {
        assert_eq!(a.value_for(&id(n)), expected[&id(n)], "{}", id(n));
    }
    let rose: BTreeMap<String, u64> = expected
        .iter()
        .filter(|&(agent_id, &count)| mine.get(agent_id) != Some(&count) || agent_id == &id(0))
        .map(|(agent_id, &count)| (agent_id.clone(), count))
        .collect();
    let delta = a.take_delta();
    assert_eq!(delta.slots().collect::<Vec<_>>(), expected_pairs(&rose));
    // The index follows the moved slots: increments find them, and a new agent is added once.
    a.increment(&id(AGENTS - 1), 1).unwrap();
    a.increment("zz-new", 1).unwrap();
    assert_eq!(a.value_for(&id(AGENTS - 1)), expected[&id(AGENTS - 1)] + 1);
    assert_eq!(a.agent_count(), expected.len() + 1);
}

fn expected_pairs(counts: &BTreeMap<String, u64>) -> Vec<(&str, u64)> {
    counts
        .iter()
        .map(|(id, &count)| (id.as_str(), count))
        .collect()
}

#[test]
fn slot_overflow_is_rejected_and_changes_nothing() {
    let mut c = GCounter::new();
    c.increment("a", u64::MAX).unwrap();
    c.take_delta();
    let err = c.increment("a", 1).unwrap_err();
    assert!(matches!(err, gcounter::Error::SlotOverflow { .. }));
    assert!(err.to_string().contains("\"a\""), "{err}");
    assert_eq!(c.value_for("a"), u64::MAX);
    assert_eq!(c.take_delta().to_json(), "{}");
    assert_eq!(c.increment("b", 0), Err(gcounter::Error::ZeroIncrement));
    assert_eq!(c.agent_count(), 1);
}

#[test]
fn the_total_is_exact_beyond_u64() {
    let mut c = GCounter::new();
    for agent_id in ["a", "b", "c"] {
        c.increment(agent_id, u64::MAX).unwrap();
    }
    assert_eq!(c.value(), 3 * u128::from(u64::MAX));
    let mut d = GCounter::new();
    d.increment("a", 5).unwrap();
    d.join(&c);
    assert_eq!(d.value(), 3 * u128::from(u64::MAX));
}

/// Counts that reach past `u64::MAX` when summed: slots near the top of the range.
fn big_counts() -> impl Strategy<Value = BTreeMap<String, u64>> {
    let count = prop_oneof![
        1..1_000u64,
        u64::MAX - 1_000..=u64::MAX,
        1u64 << 63..=u64::MAX,
    ];
    prop::collection::btree_map(agent_id(), count, 0..8)
}

/// What `delta_for(c, p)` must hold: each of `c`'s slots above the same slot of `p`.
fn lacking(c: &BTreeMap<String, u64>, p: &BTreeMap<String, u64>) -> BTreeMap<String, u64> {
    c.iter()
        .filter(|(agent_id, &count)| count > p.get(*agent_id).copied().unwrap_or(0))
        .map(|(agent_id, &count)| (agent_id.clone(), count))
        .collect()
}

/// The canonical JSON built from `(agent_id, count)` pairs in the order given.
fn json_of_pairs<'a>(pairs: impl Iterator<Item = (&'a str, u64)>) -> String {
    let members: Vec<String> = pairs
        .map(|(agent_id, count)| format!("{}:{count}", serde_json::to_string(agent_id).unwrap()))
        .collect();
    format!("{{{}}}", members.join(","))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn joining_the_delta_for_a_peer_equals_joining_the_whole_counter(c in counts(), p in counts()) {
        let (c, p) = (counter(&c), counter(&p));
        let with_delta = joined(&p, &c.delta_for(&p));
        prop_assert_eq!(with_delta.to_json(), joined(&p, &c).to_json());
        // And on a peer that is a join of `p` with anything: still enough.
        let ahead = joined(&p, &c.delta_for(&GCounter::new()));
        prop_assert_eq!(joined(&ahead, &c.delta_for(&p)).to_json(), joined(&ahead, &c).to_json());
    }

    #[test]
    fn replicas_that_share_their_history_send_only_what_rose(
        base in counts(),
        mine in counts(),
        theirs in counts(),
    ) {
        // Copies of one state keep its agents at the same positions, where delta_for compares
        // without lookups; the agents each adds later are looked up.
        let (mut c, mut p) = (counter(&base), counter(&base));
        for (agent_id, &by) in &mine {
            c.increment(agent_id, by).unwrap();
        }
        for (agent_id, &by) in &theirs {
            p.increment(agent_id, by).unwrap();
        }
        let delta = c.delta_for(&p);
        for (agent_id, count) in c.slots() {
            prop_assert_eq!(delta.value_for(agent_id), if count > p.value_for(agent_id) { count } else { 0 });
        }
        prop_assert_eq!(joined(&p, &delta).to_json(), joined(&p, &c).to_json());
    }

    #[test]
    fn the_delta_for_a_peer_holds_exactly_the_slots_it_lacks(c in counts(), p in counts()) {
        let (cc, cp) = (counter(&c), counter(&p));
        let delta = cc.delta_for(&cp);
        // No slot where `p` already has as much, and every slot where it has less.
        for (agent_id, count) in delta.slots() {
            prop_assert!(count > cp.value_for(agent_id));
            prop_assert_eq!(count, cc.value_for(agent_id));
        }
        prop_assert_eq!(delta.to_json(), counter(&lacking(&c, &p)).to_json());
        prop_assert_eq!(delta.agent_count() == 0, cc <= cp);
        prop_assert_eq!(cc.delta_for(&cc).agent_count(), 0);
    }

    #[test]
    fn delta_for_touches_neither_delta_record(c in counts(), p in counts()) {
        // Built by increments: every slot is in its counter's delta record.
        let (mut cc, mut cp) = (counter(&c), counter(&p));
        let mut delta = cc.delta_for(&cp);
        let _ = cp.delta_for(&cc);
        let _ = cc.delta_for(&cc);
        prop_assert_eq!(delta.take_delta().to_json(), "{}");
        prop_assert_eq!(cc.take_delta().to_json(), counter(&c).to_json());
        prop_assert_eq!(cp.take_delta().to_json(), counter(&p).to_json());
    }

    #[test]
    fn the_total_is_the_exact_sum_of_the_slots(a in big_counts(), b in big_counts()) {
        for counts in [&a, &b] {
            let c = counter(counts);
            let sum: u128 = counts.values().map(|&count| u128::from(count)).sum();
            prop_assert_eq!(c.value(), sum);
            prop_assert_eq!(c.slots().map(|(_, count)| u128::from(count)).sum::<u128>(), sum);
        }
        let j = joined(&counter(&a), &counter(&b));
        prop_assert_eq!(j.value(), j.slots().map(|(_, count)| u128::from(count)).sum::<u128>());
    }

    #[test]
    fn walking_slot_at_gives_the_members_of_to_json_in_order(a in counts(), b in counts()) {
        // A joined counter's slots were added in two runs: the walk still sorts them all.
        let c = joined(&counter(&a), &counter(&b));
        let n = c.agent_count();
        let walked: Vec<(&str, u64)> = (0..n).map(|i| c.slot_at(i).unwrap()).collect();
        prop_assert_eq!(json_of_pairs(walked.iter().copied()), c.to_json());
        prop_assert!(walked.windows(2).all(|pair| pair[0].0.as_bytes() < pair[1].0.as_bytes()));
        prop_assert_eq!(c.slot_at(n), None);
        prop_assert_eq!(c.slots().collect::<Vec<_>>(), walked.clone());
        prop_assert_eq!(c.slots().rev().collect::<Vec<_>>(), walked.iter().rev().copied().collect::<Vec<_>>());
        prop_assert_eq!(c.slots().len(), n);
    }
}

#[test]
fn the_walk_follows_new_agents() {
    let mut c = GCounter::from_json(br#"{"b":1,"d":1}"#).unwrap();
    assert_eq!(c.slot_at(1), Some(("d", 1)));
    c.increment("c", 2).unwrap();
    c.increment("", 3).unwrap();
    let walked: Vec<_> = (0..c.agent_count())
        .map(|i| c.slot_at(i).unwrap())
        .collect();
    assert_eq!(walked, [("", 3), ("b", 1), ("c", 2), ("d", 1)]);
    let pairs: Vec<_> = (&c).into_iter().collect();
    assert_eq!(pairs, walked);
}

#[test]
fn the_delta_for_an_empty_peer_is_everything_and_of_an_empty_counter_nothing() {
    let mut c = GCounter::new();
    c.increment("a", 2).unwrap();
    c.increment("b\0", u64::MAX).unwrap();
    assert_eq!(c.delta_for(&GCounter::new()), c);
    assert_eq!(GCounter::new().delta_for(&c).agent_count(), 0);
}
