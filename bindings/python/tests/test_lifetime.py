"""Every native counter is freed exactly once: by close(), a with block, or the finalizer."""

from __future__ import annotations

import gc
import os

import pytest

from gcounter import GCounter, MutableGCounter

COUNTERS = [GCounter, MutableGCounter]


def rss_mib() -> float:
    """Resident set size of this process (Linux /proc)."""
    with open("/proc/self/statm") as statm:
        resident_pages = int(statm.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.parametrize("cls", COUNTERS)
def test_dropping_the_last_reference_frees_the_handle(cls):
    counter = cls({"a": 1})
    finalizer = counter._finalizer
    assert finalizer.alive
    del counter
    assert not finalizer.alive


@pytest.mark.parametrize("cls", COUNTERS)
def test_counters_in_reference_cycles_are_freed_by_the_collector(cls):
    counter = cls({"a": 1})
    holder = {"counter": counter}
    holder["self"] = holder
    finalizer = counter._finalizer
    del counter, holder
    gc.collect()
    assert not finalizer.alive


@pytest.mark.parametrize("cls", COUNTERS)
def test_close_frees_at_once_and_the_finalizer_does_not_free_again(cls):
    counter = cls({"a": 1})
    finalizer = counter._finalizer
    counter.close()
    assert counter.closed and not finalizer.alive
    counter.close()
    del counter
    gc.collect()
    assert not finalizer.alive


@pytest.mark.parametrize("cls", COUNTERS)
def test_with_block_closes_even_on_error(cls):
    with cls({"a": 1}) as counter:
        assert counter.value() == 1
    assert counter.closed
    with pytest.raises(KeyError):
        with cls() as other:
            raise KeyError("boom")
    assert other.closed


def test_results_outlive_their_sources():
    with GCounter({"a": 1}) as source, MutableGCounter({"b": 2}) as live:
        made = [source.increment("a"), source.join(live), live.snapshot(), live.take_delta()]
    assert [c.to_dict() for c in made] == [{"a": 2}, {"a": 1, "b": 2}, {"b": 2}, {}]


def churn(rounds: int) -> None:
    """Make and drop ``2 * rounds`` short-lived counters, each freed in one of the usual ways."""
    base = GCounter({"seed": 1})
    for step in range(rounds):
        pattern = step % 4
        if pattern == 0:
            base.increment("agent", step + 1)  # a clone, dropped at once
            GCounter.from_json('{"a":1}')
        elif pattern == 1:
            with MutableGCounter() as live:
                live.increment("agent")
                live.take_delta()  # one more counter, collected by refcount
        elif pattern == 2:
            base.join(base).to_mutable().close()
        else:
            cycle = [MutableGCounter({"agent": step}), GCounter()]
            cycle.append(cycle)  # left for the cycle collector
    gc.collect()


def test_a_million_short_lived_counters_do_not_grow_memory():
    churn(50_000)  # warm up the allocators and caches
    before = rss_mib()
    churn(500_000)  # two counters a round: a million counters
    growth = rss_mib() - before
    # A leaked counter costs at least ~100 bytes natively plus its Python objects, so a leak
    # of every counter would be > 100 MiB; allow a few MiB of allocator noise.
    assert growth < 8, f"RSS grew by {growth:.1f} MiB over a million counters"
