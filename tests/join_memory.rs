//! What a join holds at its peak, counted by a global allocator of this test binary's own: a
//! join that takes in a few new agents grows the table by those, rather than holding a second
//! copy of it for a moment; one that doubles the table holds the old and the new at once, and
//! no more.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use gcounter::GCounter;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let live = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to `System` unchanged; only the counts change around it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, forwarded.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            grew(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.dealloc(pointer, layout) }
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Counted as the allocator may do it: the new block beside the old, then the old freed.
        grew(new_size);
        // SAFETY: the caller's contract, forwarded.
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if moved.is_null() {
            LIVE.fetch_sub(new_size, Ordering::Relaxed);
        } else {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        moved
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// The most the heap held during `run` beyond what it held before.
fn peak_during(run: impl FnOnce()) -> usize {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    run();
    PEAK.load(Ordering::Relaxed) - before
}

const AGENTS: usize = 200_000;

fn counter_of(numbers: impl Iterator<Item = usize>) -> GCounter {
    let json: String = numbers
        .map(|n| format!("\"agent-{n:08}\":{}", 1 + n % 7))
        .collect::<Vec<_>>()
        .join(",");
    GCounter::from_json(format!("{{{json}}}").as_bytes()).unwrap()
}

#[test]
fn a_join_holds_at_most_what_its_result_adds() {
    // Few new agents: the table grows by those, in place or by one reallocation.
    let mut mine = counter_of((0..AGENTS).map(|i| 2 * i));
    let theirs = counter_of((0..AGENTS).map(|i| 2 * i).chain([AGENTS + 1, 7]));
    let table = mine.heap_bytes();
    let peak = peak_during(|| mine.join(&theirs));
    assert_eq!(mine.agent_count(), AGENTS + 2);
    // The entries once and a new index (24 + 7.5 bytes a slot): the old index is freed first.
    assert!(
        peak <= table + table / 8,
        "a join of 2 new agents held {peak} bytes more, the table being {table}"
    );

    // As many new agents as old ones: the old entries and the new, at most.
    let mut mine = counter_of((0..AGENTS).map(|i| 2 * i));
    let theirs = counter_of((0..AGENTS).map(|i| 2 * i + 1));
    let table = mine.heap_bytes();
    let peak = peak_during(|| mine.join(&theirs));
    assert_eq!(mine.agent_count(), 2 * AGENTS);
    assert!(
        peak <= 3 * table,
        "a join that doubles the table held {peak} bytes more, the table being {table}"
    );
}
