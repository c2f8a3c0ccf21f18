//! libgcounter side by side with its peers, at 10^3, 10^5 and 10^6 agents with 14-byte ids.
//!
//! - **ours**: libgcounter through its C ABI (`gcounter_increment_len`, `gcounter_join`, ...),
//!   called as a C program calls `libgcounter.so`;
//! - **crdts**: the `crdts` crate's `GCounter<String>` (a `VClock` over a `BTreeMap`), merged
//!   with `CvRDT::merge`, incremented with `CmRDT::apply(inc(..))`, serialized with `serde_json`;
//! - **hashmap**: a bare `HashMap<String, u64>`, the floor where one exists (increments, joins,
//!   memory).
//!
//! `make bench` runs them and prints one table (`scripts/bench_table.py` reads criterion's
//! medians and the `memory.json` written here). Under `cargo test --benches` (no `--bench` flag)
//! every benchmark runs once at 1000 agents, as a smoke test.
//!
//! `GCOUNTER_BENCH_AGENTS=1000,100000 cargo bench --bench peers` limits the sizes; a filter
//! argument (`cargo bench --bench peers -- join_same`) limits the benchmarks as usual.

mod heap;
mod ours;

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use crdts::{CmRDT, CvRDT, Dot, GCounter, VClock};
use criterion::measurement::WallTime;
use criterion::{BatchSize, BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, Throughput};

use ours::Handle;

#[global_allocator]
static ALLOCATOR: heap::CountingAllocator = heap::CountingAllocator;

const SIZES: [usize; 3] = [1_000, 100_000, 1_000_000];
/// Agent ids are `PREFIX` and nine digits: 14 bytes, a typical host-and-process id length.
const ID_DIGITS: usize = 9;

type Crdts = GCounter<String>;
type Floor = HashMap<String, u64>;

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    let benchmarking = std::env::args().any(|arg| arg == "--bench")
        && !std::env::args().any(|arg| arg == "--test");
    for agents in sizes(benchmarking) {
        let fixture = Fixture::new(agents);
        increment_existing(&mut criterion, &fixture);
        increment_new(&mut criterion, &fixture);
        join(&mut criterion, &fixture, Other::Same);
        join(&mut criterion, &fixture, Other::Reordered);
        join(&mut criterion, &fixture, Other::Disjoint);
        join_into_empty(&mut criterion, &fixture);
        value(&mut criterion, &fixture);
        to_json(&mut criterion, &fixture);
        to_json_after_new(&mut criterion, &fixture);
        to_json_by_increments(&mut criterion, &fixture);
        from_json(&mut criterion, &fixture);
        from_json_python(&mut criterion, &fixture);
        take_delta(&mut criterion, &fixture);
        delta_for(&mut criterion, &fixture);
        walk_slots(&mut criterion, &fixture);
        if selected("memory") {
            memory(&fixture, benchmarking);
        }
    }
    criterion.final_summary();
}

/// The agent counts to run: all of `SIZES` when benchmarking, 1000 as a smoke test.
fn sizes(benchmarking: bool) -> Vec<usize> {
    if let Ok(list) = std::env::var("GCOUNTER_BENCH_AGENTS") {
        return list
            .split(',')
            .map(|n| {
                n.trim()
                    .parse()
                    .expect("GCOUNTER_BENCH_AGENTS: numbers, comma-separated")
            })
            .collect();
    }
    if benchmarking {
        SIZES.to_vec()
    } else {
        vec![SIZES[0]]
    }
}

/// Whether the command line's filters (if any) select `name`.
fn selected(name: &str) -> bool {
    // The options of criterion that take a value, which is then not a filter.
    const WITH_VALUE: [&str; 4] = [
        "--save-baseline",
        "--baseline",
        "--baseline-lenient",
        "--load-baseline",
    ];
    let args: Vec<String> = std::env::args().skip(1).collect();
    let filters: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|(i, arg)| {
            !arg.starts_with('-') && (*i == 0 || !WITH_VALUE.contains(&args[i - 1].as_str()))
        })
        .map(|(_, arg)| arg)
        .collect();
    filters.is_empty() || filters.iter().any(|filter| name.contains(filter.as_str()))
}

/// A group tuned to the size: many samples of fast calls, ten flat samples of slow ones.
fn group<'a>(
    criterion: &'a mut Criterion,
    name: &str,
    agents: usize,
) -> BenchmarkGroup<'a, WallTime> {
    let mut group = criterion.benchmark_group(name);
    let (samples, warm_up_ms, measure_ms) = match agents {
        0..=10_000 => (40, 300, 1_000),
        10_001..=100_000 => (15, 300, 1_500),
        _ => (10, 200, 2_000),
    };
    group
        .sample_size(samples)
        .warm_up_time(Duration::from_millis(warm_up_ms))
        .measurement_time(Duration::from_millis(measure_ms));
    if agents > 10_000 {
        group.sampling_mode(SamplingMode::Flat);
    }
    group
}

/// Fresh state for each call of a slow routine; small batches for fast ones.
fn batch(agents: usize) -> BatchSize {
    if agents > 10_000 {
        BatchSize::PerIteration
    } else {
        BatchSize::SmallInput
    }
}

/// The counters of each kind: `a`; `same`, a's agents with every other one higher;
/// `reordered`, as `same` but with its agents first incremented in another order; and
/// `disjoint`, as many agents that `a` lacks, each between two of `a`'s in id order.
struct Counters<T> {
    a: T,
    same: T,
    reordered: T,
    disjoint: T,
}

/// Which counter a join takes in.
#[derive(Clone, Copy)]
enum Other {
    Same,
    Reordered,
    Disjoint,
}

impl<T> Counters<T> {
    fn empty(new: impl Fn() -> T) -> Counters<T> {
        Counters {
            a: new(),
            same: new(),
            reordered: new(),
            disjoint: new(),
        }
    }

    fn other(&self, other: Other) -> &T {
        match other {
            Other::Same => &self.same,
            Other::Reordered => &self.reordered,
            Other::Disjoint => &self.disjoint,
        }
    }

    fn build(fixture: &Fixture, make: impl Fn(&[String], &[u64]) -> T) -> Counters<T> {
        Counters {
            a: make(&fixture.agent_ids, &fixture.counts),
            same: make(&fixture.agent_ids, &fixture.higher_counts),
            reordered: make(&fixture.visit, &fixture.visit_higher_counts),
            disjoint: make(&fixture.peer_ids, &fixture.counts),
        }
    }
}

struct Fixture {
    agents: usize,
    /// The agents of `a` and `same`, in the order they were first incremented.
    agent_ids: Vec<String>,
    /// The same agents in another order: the order the increment benchmarks visit them, so that
    /// no structure gets its insertion order for free.
    visit: Vec<String>,
    /// The agents of `disjoint`: `a`'s ids are the even numbers, these the odd ones, so that
    /// in id order the two alternate.
    peer_ids: Vec<String>,
    /// Agents in no counter, for `increment_new`.
    late_ids: Vec<String>,
    counts: Vec<u64>,
    /// `counts`, with every other slot one higher.
    higher_counts: Vec<u64>,
    /// `higher_counts` in the order of `visit`.
    visit_higher_counts: Vec<u64>,
    ours: Counters<Handle>,
    crdts: Counters<Crdts>,
    floor: Counters<Floor>,
}

impl Fixture {
    fn new(agents: usize) -> Fixture {
        let mut random = SplitMix(agents as u64);
        let ids =
            |prefix: &str, numbers: &mut dyn Iterator<Item = usize>, random: &mut SplitMix| {
                let mut ids: Vec<String> = numbers
                    .map(|i| format!("{prefix}{i:0ID_DIGITS$}"))
                    .collect();
                random.shuffle(&mut ids);
                ids
            };
        let agent_ids = ids("node-", &mut (0..agents).map(|i| 2 * i), &mut random);
        let mut visit_order: Vec<usize> = (0..agents).collect();
        random.shuffle(&mut visit_order);
        let visit = visit_order.iter().map(|&i| agent_ids[i].clone()).collect();
        let peer_ids = ids("node-", &mut (0..agents).map(|i| 2 * i + 1), &mut random);
        let late_ids = ids("late-", &mut (0..(agents / 10).max(100)), &mut random);
        let counts: Vec<u64> = (0..agents).map(|_| 1 + random.next() % 1_000_000).collect();
        let higher_counts: Vec<u64> = counts
            .iter()
            .enumerate()
            .map(|(i, &count)| count + (i % 2) as u64)
            .collect();
        let visit_higher_counts = visit_order.iter().map(|&i| higher_counts[i]).collect();
        let mut fixture = Fixture {
            agents,
            agent_ids,
            visit,
            peer_ids,
            late_ids,
            counts,
            higher_counts,
            visit_higher_counts,
            ours: Counters::empty(Handle::new),
            crdts: Counters::empty(Crdts::new),
            floor: Counters::empty(Floor::new),
        };
        fixture.ours = Counters::build(&fixture, Handle::with_counts);
        fixture.crdts = Counters::build(&fixture, crdts_with_counts);
        fixture.floor = Counters::build(&fixture, floor_with_counts);
        fixture
    }
}

fn crdts_with_counts(agent_ids: &[String], counts: &[u64]) -> Crdts {
    let mut counter = Crdts::new();
    for (agent_id, &count) in agent_ids.iter().zip(counts) {
        counter.apply(counter.inc_many(agent_id.clone(), count));
    }
    counter
}

fn floor_with_counts(agent_ids: &[String], counts: &[u64]) -> Floor {
    agent_ids
        .iter()
        .cloned()
        .zip(counts.iter().copied())
        .collect()
}

/// The per-slot maximum into a bare map: the least work a join can do.
fn floor_join(into: &mut Floor, other: &Floor) {
    for (agent_id, &count) in other {
        match into.get_mut(agent_id.as_str()) {
            Some(mine) => *mine = (*mine).max(count),
            None => {
                into.insert(agent_id.clone(), count);
            }
        }
    }
}

/// Deterministic shuffles and counts (SplitMix64), so every run measures the same data.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// The agents of a list, round and round.
struct Cycle<'a> {
    agent_ids: &'a [String],
    next: usize,
}

impl<'a> Cycle<'a> {
    fn new(agent_ids: &'a [String]) -> Cycle<'a> {
        Cycle { agent_ids, next: 0 }
    }

    #[inline(always)]
    fn next(&mut self) -> &'a str {
        let agent_id = &self.agent_ids[self.next];
        self.next += 1;
        if self.next == self.agent_ids.len() {
            self.next = 0;
        }
        agent_id
    }
}

/// `increment(agent, 1)` of an agent that already has a slot, agents visited in random order.
fn increment_existing(criterion: &mut Criterion, fixture: &Fixture) {
    let n = fixture.agents;
    let mut group = group(criterion, "increment_existing", n);
    let mut counter = fixture.ours.a.clone();
    let mut agents = Cycle::new(&fixture.visit);
    group.bench_function(BenchmarkId::new("ours", n), |b| {
        b.iter(|| counter.increment(agents.next(), 1))
    });
    let mut counter = fixture.crdts.a.clone();
    let mut agents = Cycle::new(&fixture.visit);
    group.bench_function(BenchmarkId::new("crdts", n), |b| {
        b.iter(|| counter.apply(counter.inc(agents.next().to_owned())))
    });
    let mut counter = fixture.floor.a.clone();
    let mut agents = Cycle::new(&fixture.visit);
    group.bench_function(BenchmarkId::new("hashmap", n), |b| {
        b.iter(|| {
            if let Some(count) = counter.get_mut(agents.next()) {
                *count += 1;
            }
        })
    });
    group.finish();
}

/// `increment(agent, 1)` of an agent new to a counter of `n` agents.
fn increment_new(criterion: &mut Criterion, fixture: &Fixture) {
    let n = fixture.agents;
    let late = &fixture.late_ids;
    let mut group = group(criterion, "increment_new", n);
    group.bench_function(BenchmarkId::new("ours", n), |b| {
        b.iter_custom(|iters| {
            grow(&fixture.ours.a, late, iters, |counter, agent_id| {
                black_box(counter.increment(agent_id, 1));
            })
        })
    });
    group.bench_function(BenchmarkId::new("crdts", n), |b| {
        b.iter_custom(|iters| {
            grow(&fixture.crdts.a, late, iters, |counter, agent_id| {
                counter.apply(counter.inc(agent_id.to_owned()));
            })
        })
    });
    group.bench_function(BenchmarkId::new("hashmap", n), |b| {
        b.iter_custom(|iters| {
            grow(&fixture.floor.a, late, iters, |counter, agent_id| {
                counter.insert(agent_id.to_owned(), 1);
            })
        })
    });
    group.finish();
}

/// Times `iters` insertions of new agents into copies of `base`, at most `late.len()` per copy
/// so that every insertion meets a counter of about the same size.
///
/// Each copy first takes one untimed new agent: a copy is made with no spare capacity, and the
/// reallocation that buys it would otherwise be charged to the few insertions timed here
/// rather than amortized over the counter's whole growth.
fn grow<T: Clone>(
    base: &T,
    late: &[String],
    iters: u64,
    mut insert: impl FnMut(&mut T, &str),
) -> Duration {
    let mut elapsed = Duration::ZERO;
    let mut left = iters as usize;
    while left > 0 {
        let mut counter = base.clone();
        insert(&mut counter, "warm-000000000");
        let take = left.min(late.len());
        let start = Instant::now();
        for agent_id in &late[..take] {
            insert(&mut counter, agent_id);
        }
        elapsed += start.elapsed();
        left -= take;
        drop(black_box(counter));
    }
    elapsed
}

/// Joins `same`, `reordered` or `disjoint` into a fresh copy of `a`.
fn join(criterion: &mut Criterion, fixture: &Fixture, other: Other) {
    let n = fixture.agents;
    let name = match other {
        Other::Same => "join_same",
        Other::Reordered => "join_reordered",
        Other::Disjoint => "join_disjoint",
    };
    let mut group = group(criterion, name, n);
    group.bench_function(BenchmarkId::new("ours", n), |b| {
        b.iter_batched(
            || fixture.ours.a.clone(),
            |mut into| {
                black_box(into.join(fixture.ours.other(other)));
                into
            },
            batch(n),
        )
    });
    group.bench_function(BenchmarkId::new("crdts", n), |b| {
        b.iter_batched(
            // `merge` takes the other counter by value.
            || (fixture.crdts.a.clone(), fixture.crdts.other(other).clone()),
            |(mut into, other)| {
                into.merge(other);
                into
            },
            batch(n),
        )
    });
    group.bench_function(BenchmarkId::new("hashmap", n), |b| {
        b.iter_batched(
            || fixture.floor.a.clone(),
            |mut into| {
                floor_join(&mut into, fixture.floor.other(other));
                into
            },
            batch(n),
        )
    });
    group.finish();
}

/// Joins `a` into a new, empty counter: how a replica takes its first full state.
fn join_into_empty(criterion: &mut Criterion, fixture: &Fixture) {
    let n = fixture.agents;
    let mut group = group(criterion, "join_into_empty", n);
    group.bench_function(BenchmarkId::new("ours", n), |b| {
        b.iter_batched(
            Handle::new,
            |mut into| {
                black_box(into.join(&fixture.ours.a));
                into
            },
            batch(n),
        )
    });
    group.bench_function(BenchmarkId::new("crdts", n), |b| {
        b.iter_batched(
            || (Crdts::new(), fixture.crdts.a.clone()),
            |(mut into, other)| {
                into.merge(other);
                into
            },
            batch(n),
        )
    });
    // The floor of a join into nothing is a copy.
    group.bench_function(BenchmarkId::new("hashmap", n), |b| {
        b.iter_with_large_drop(|| fixture.floor.a.clone())
    });
    group.finish();
}

/// The sum of all slots.
fn value(criterion: &mut Criterion, fixture: &Fixture) {
    let n = fixture.agents;
    let mut group = group(criterion, "value", n);
    group.bench_function(BenchmarkId::new("ours", n), |b| {
        b.iter(|| fixture.ours.a.value())
    });
    // The exact total (a u128 from two words), beside the u64 one; crdts' `read` is exact too.
    group.bench_function(BenchmarkId::new("ours_exact", n), |b| {
        b.iter(|| fixture.ours.a.value_exact())
    });
    group.bench_function(BenchmarkId::new("crdts", n), |b| {
        b.iter(|| fixture.crdts.a.read())
    });
    group.finish();
}

/// The whole state as JSON; ours in the canonical form, the peer as `serde_json` writes it.
/// Each output is freed inside the timing, as a sender frees it once sent, so that both
/// write into memory the allocator has just had back.
fn to_json(criterion: &mut Criterion, fixture: &Fixture) {
    let n = fixture.agents;
    let ours_bytes = fixture.ours.a.to_json().as_bytes().len();
    let crdts_bytes = serde_json::to_string(&fixture.crdts.a).unwrap().len();
    let mut group = group(criterion, "to_json", n);
    group.throughput(Throughput::Bytes(ours_bytes as u64));
    group.bench_function(BenchmarkId::new("ours", n), |b| {
        b.iter(|| fixture.ours.a.to_json())
    });
    group.throughput(Throughput::Bytes(crdts_bytes as u64));
    group.bench_function(BenchmarkId::new("crdts", n), |b| {
        b.iter(|| serde_json::to_string(&fixture.crdts.a).unwrap())
    });
    group.finish();
}

/// The whole state as JSON, just after one agent new to the counter: a replica that sees new
/// agents between sends. Each call is timed after its increment (untimed) of a new agent.
fn to_json_after_new(criterion: &mut Criterion, fixture: &Fixture) {
    let n = fixture.agents;
    let mut group = group(criterion, "to_json_after_new", n);
    let ours_bytes = fixture.ours.a.to_json().as_bytes().len();
    group.throughput(Throughput::Bytes(ours_bytes as u64));
    group.bench_function(BenchmarkId::new("ours", n), |b| {
        b.iter_custom(|iters| {
            time_after_new(
                &fixture.ours.a,
                &fixture.late_ids,
                iters,
                |counter, agent_id| {
                    counter.increment(agent_id, 1);
                },
                |counter| drop(black_box(counter.to_json())),
            )
        })
    });
    group.bench_function(BenchmarkId::new("crdts", n), |b| {
        b.iter_custom(|iters| {
            time_after_new(
                &fixture.crdts.a,
                &fixture.late_ids,
                iters,
                |counter, agent_id| {
                    counter.apply(counter.inc(agent_id.to_owned()));
                },
                |counter| drop(black_box(serde_json::to_string(counter).unwrap())),
            )
        })
    });
    group.finish();
}

/// The whole state as JSON from a counter made by increments alone, in a random order, whose
/// slots have never settled into id order: the first call (on a fresh copy each time) sorts
/// them, later calls walk them in the order that sort found. `crdts`' map is always in order.
fn to_json_by_increments(criterion: &mut Criterion, fixture: &Fixture) {
    let n = fixture.agents;
    let unsettled = Handle::by_increments(&fixture.agent_ids, &fixture.counts);
    // The same JSON as `a`'s; computed from `a`, since a walk of `unsettled` would sort it.
    let ours_bytes = fixture.ours.a.to_json().as_bytes().len();
    let crdts_bytes = serde_json::to_string(&fixture.crdts.a).unwrap().len();
    let walked = unsettled.clone();
    assert_eq!(
        walked.to_json().as_bytes(),
        fixture.ours.a.to_json().as_bytes()
    );
    for (name, ours) in [
        ("to_json_by_increments_first", None),
        ("to_json_by_increments", Some(&walked)),
    ] {
        let mut group = group(criterion, name, n);
        group.throughput(Throughput::Bytes(ours_bytes as u64));
        group.bench_function(BenchmarkId::new("ours", n), |b| match &ours {
            None => b.iter_batched(
                || unsettled.clone(),
                |counter| {
                    let json = counter.to_json();
                    (counter, json)
                },
                BatchSize::PerIteration,
            ),
            Some(walked) => b.iter(|| walked.to_json()),
        });
        group.throughput(Throughput::Bytes(crdts_bytes as u64));
        group.bench_function(BenchmarkId::new("crdts", n), |b| {
            b.iter(|| serde_json::to_string(&fixture.crdts.a).unwrap())
        });
        group.finish();
    }
}

/// Times `iters` calls of `timed`, each just after `add` gave a copy of `base` a new agent
/// (untimed); a copy takes at most `late.len()` new agents.
fn time_after_new<T: Clone>(
    base: &T,
    late: &[String],
    iters: u64,
    mut add: impl FnMut(&mut T, &str),
    mut timed: impl FnMut(&T),
) -> Duration {
    let mut elapsed = Duration::ZERO;
    let mut counter = base.clone();
    let mut added = 0;
    for _ in 0..iters {
        if added == late.len() {
            (counter, added) = (base.clone(), 0);
        }
        add(&mut counter, &late[added]);
        added += 1;
        let start = Instant::now();
        timed(&counter);
        elapsed += start.elapsed();
    }
    elapsed
}

/// A new counter from a whole state's JSON, each from its own canonical output.
fn from_json(criterion: &mut Criterion, fixture: &Fixture) {
    let n = fixture.agents;
    let ours_json = fixture.ours.a.to_json().as_bytes().to_vec();
    let crdts_json = serde_json::to_string(&fixture.crdts.a).unwrap();
    let parsed: Crdts = serde_json::from_str(&crdts_json).unwrap();
    assert_eq!(parsed, fixture.crdts.a);
    assert_eq!(
        Handle::from_json(&ours_json).value(),
        fixture.ours.a.value()
    );
    let mut group = group(criterion, "from_json", n);
    group.throughput(Throughput::Bytes(ours_json.len() as u64));
    group.bench_function(BenchmarkId::new("ours", n), |b| {
        b.iter_with_large_drop(|| Handle::from_json(&ours_json))
    });
    group.throughput(Throughput::Bytes(crdts_json.len() as u64));
    group.bench_function(BenchmarkId::new("crdts", n), |b| {
        b.iter_with_large_drop(|| serde_json::from_str::<Crdts>(&crdts_json).unwrap())
    });
    group.finish();
}

/// `from_json` of the same states written with Python's default separators (`", "` and
/// `": "`, as `json.dumps` writes without `separators=`): what an agent that builds its JSON
/// itself sends. Runs after `from_json`, so that the heap `from_json` starts from is as before.
fn from_json_python(criterion: &mut Criterion, fixture: &Fixture) {
    let n = fixture.agents;
    let spaced = |json: &str| json.replace(',', ", ").replace(':', ": ");
    let ours_json = spaced(std::str::from_utf8(fixture.ours.a.to_json().as_bytes()).unwrap());
    let crdts_json = spaced(&serde_json::to_string(&fixture.crdts.a).unwrap());
    let parsed: Crdts = serde_json::from_str(&crdts_json).unwrap();
    assert_eq!(parsed, fixture.crdts.a);
    assert_eq!(
        Handle::from_json(ours_json.as_bytes()).value(),
        fixture.ours.a.value()
    );
    let mut group = group(criterion, "from_json_python", n);
    group.throughput(Throughput::Bytes(ours_json.len() as u64));
    group.bench_function(BenchmarkId::new("ours", n), |b| {
        b.iter_with_large_drop(|| Handle::from_json(ours_json.as_bytes()))
    });
    group.throughput(Throughput::Bytes(crdts_json.len() as u64));
    group.bench_function(BenchmarkId::new("crdts", n), |b| {
        b.iter_with_large_drop(|| serde_json::from_str::<Crdts>(&crdts_json).unwrap())
    });
    group.finish();
}

/// The delta of a replica in which a tenth of the agents rose since the last one.
///
/// The peer has no delta record: its way to the same result is `VClock::clone_without` the
/// clock last sent, then merging what it sends into that clock.
fn take_delta(criterion: &mut Criterion, fixture: &Fixture) {
    let n = fixture.agents;
    let rising = (n / 10).max(1);
    let mut group = group(criterion, "take_delta", n);
    let mut counter = fixture.ours.a.clone();
    let mut agents = Cycle::new(&fixture.visit);
    group.bench_function(BenchmarkId::new("ours", n), |b| {
        b.iter_custom(|iters| {
            let mut elapsed = Duration::ZERO;
            for _ in 0..iters {
                for _ in 0..rising {
                    black_box(counter.increment(agents.next(), 1));
                }
                let start = Instant::now();
                let delta = counter.take_delta();
                elapsed += start.elapsed();
                drop(black_box(delta));
            }
            elapsed
        })
    });
    let mut clock = clock_with_counts(&fixture.agent_ids, &fixture.counts);
    let mut sent = clock.clone();
    let mut agents = Cycle::new(&fixture.visit);
    group.bench_function(BenchmarkId::new("crdts", n), |b| {
        b.iter_custom(|iters| {
            let mut elapsed = Duration::ZERO;
            for _ in 0..iters {
                for _ in 0..rising {
                    clock.apply(clock.inc(agents.next().to_owned()));
                }
                let start = Instant::now();
                let delta = clock.clone_without(&sent);
                sent.merge(delta.clone());
                elapsed += start.elapsed();
                drop(black_box(delta));
            }
            elapsed
        })
    });
    group.finish();
}

/// A clock of `counts[i]` in the slot of `agent_ids[i]`: the `VClock` inside crdts' GCounter.
fn clock_with_counts(agent_ids: &[String], counts: &[u64]) -> VClock<String> {
    let mut clock = VClock::new();
    for (agent_id, &count) in agent_ids.iter().zip(counts) {
        clock.apply(Dot::new(agent_id.clone(), count));
    }
    clock
}

/// Anti-entropy: a replica has read its peer's state and replies with what the peer lacks,
/// where 1/100 of the slots rose since the two were equal.
///
/// - `ours`: `gcounter_delta_for(mine, theirs)`, `theirs` read from the peer's JSON;
/// - `ours_shared_history`: the same with `theirs` a copy of mine's earlier state (both are a
///   pass over the two counters' slots in agent-id order, the order both keep them in);
/// - `ours_to_json`: the whole state as JSON, what a replica sends without `delta_for`;
/// - `crdts`: `VClock::clone_without(mine, theirs)` on clocks of the same counts.
fn delta_for(criterion: &mut Criterion, fixture: &Fixture) {
    let n = fixture.agents;
    let rising = (n / 100).max(1);
    let earlier = &fixture.ours.a;
    let mut mine = earlier.clone();
    let mut counts: HashMap<&str, u64> = fixture
        .agent_ids
        .iter()
        .map(String::as_str)
        .zip(fixture.counts.iter().copied())
        .collect();
    for agent_id in &fixture.visit[..rising] {
        mine.increment(agent_id, 1);
        *counts.get_mut(agent_id.as_str()).unwrap() += 1;
    }
    let theirs = Handle::from_json(earlier.to_json().as_bytes());
    assert_eq!(mine.delta_for(&theirs).agent_count(), rising);
    assert_eq!(mine.delta_for(earlier).agent_count(), rising);
    let mine_counts: Vec<u64> = fixture
        .agent_ids
        .iter()
        .map(|id| counts[id.as_str()])
        .collect();
    let mine_clock = clock_with_counts(&fixture.agent_ids, &mine_counts);
    let theirs_clock = clock_with_counts(&fixture.agent_ids, &fixture.counts);
    assert_eq!(mine_clock.clone_without(&theirs_clock).dots.len(), rising);

    let mut group = group(criterion, "delta_for", n);
    group.bench_function(BenchmarkId::new("ours", n), |b| {
        b.iter_with_large_drop(|| mine.delta_for(&theirs))
    });
    group.bench_function(BenchmarkId::new("ours_shared_history", n), |b| {
        b.iter_with_large_drop(|| mine.delta_for(earlier))
    });
    group.bench_function(BenchmarkId::new("ours_to_json", n), |b| {
        b.iter(|| mine.to_json())
    });
    group.bench_function(BenchmarkId::new("crdts", n), |b| {
        b.iter_with_large_drop(|| mine_clock.clone_without(&theirs_clock))
    });
    group.finish();
}

/// Every slot read in canonical order: `gcounter_slot_at(0..n)` (the slots kept in that order),
/// beside iterating crdts' clock, a `BTreeMap` kept sorted.
fn walk_slots(criterion: &mut Criterion, fixture: &Fixture) {
    let n = fixture.agents;
    let counter = &fixture.ours.a;
    let clock = clock_with_counts(&fixture.agent_ids, &fixture.counts);
    let expected: u128 = fixture.counts.iter().map(|&count| u128::from(count)).sum();
    assert_eq!(counter.walk_slots(), (expected, n * (5 + ID_DIGITS)));
    let mut group = group(criterion, "walk_slots", n);
    group.bench_function(BenchmarkId::new("ours", n), |b| {
        b.iter(|| counter.walk_slots())
    });
    group.bench_function(BenchmarkId::new("crdts", n), |b| {
        b.iter(|| {
            clock
                .iter()
                .fold((0u128, 0usize), |(total, id_bytes), dot| {
                    (total + u128::from(dot.counter), id_bytes + dot.actor.len())
                })
        })
    });
    group.finish();
}

/// Heap per slot of a replica's steady state: built by increments, delta sent, JSON written
/// once (whatever either keeps for that stays). Written to `<criterion dir>/memory.json`.
fn memory(fixture: &Fixture, benchmarking: bool) {
    let n = fixture.agents;
    let (ids, counts) = (&fixture.agent_ids, &fixture.counts);
    let (ours, ours_requested, ours_footprint) = heap::per_slot(n, || {
        let counter = Handle::with_counts(ids, counts);
        drop(counter.to_json());
        counter
    });
    let (crdts, crdts_requested, crdts_footprint) =
        heap::per_slot(n, || crdts_with_counts(ids, counts));
    let (floor, floor_requested, floor_footprint) =
        heap::per_slot(n, || floor_with_counts(ids, counts));
    drop((ours, crdts, floor));
    println!(
        "memory/{n}: bytes per slot (requested / footprint): ours {ours_requested:.1} / \
         {ours_footprint:.1}, crdts {crdts_requested:.1} / {crdts_footprint:.1}, \
         hashmap {floor_requested:.1} / {floor_footprint:.1}"
    );
    if !benchmarking {
        return;
    }
    let path = criterion_dir().join("memory.json");
    let mut all: serde_json::Map<String, serde_json::Value> = std::fs::read(&path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    let entry = |requested: f64, footprint: f64| serde_json::json!({ "requested": requested, "footprint": footprint });
    all.insert(
        n.to_string(),
        serde_json::json!({
            "ours": entry(ours_requested, ours_footprint),
            "crdts": entry(crdts_requested, crdts_footprint),
            "hashmap": entry(floor_requested, floor_footprint),
        }),
    );
    std::fs::create_dir_all(criterion_dir()).expect("create the criterion directory");
    std::fs::write(&path, serde_json::to_string_pretty(&all).unwrap()).expect("write memory.json");
}

/// Where criterion keeps its results: `$CRITERION_HOME`, else `<target dir>/criterion`.
fn criterion_dir() -> std::path::PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return home.into();
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").unwrap_or_else(|| "target".into());
    std::path::PathBuf::from(target).join("criterion")
}
