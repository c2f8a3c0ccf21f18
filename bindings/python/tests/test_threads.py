"""Python threads sharing counters: ctypes drops the GIL in every call, the per-counter locks
keep each handle to one call at a time."""

from __future__ import annotations

import threading

import pytest

from gcounter import GCounter, InvalidJsonError, MutableGCounter

THREADS = 8
TIMEOUT = 60  # seconds; only a deadlock gets near it


def run_threads(target, count: int = THREADS) -> None:
    """Start ``count`` threads on ``target(index)``; re-raise the first error of any of them."""
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def body(index: int) -> None:
        try:
            start.wait()
            target(index)
        except BaseException as error:  # noqa: BLE001 - handed to the main thread
            errors.append(error)

    threads = [threading.Thread(target=body, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "threads deadlocked"
    if errors:
        raise errors[0]


def test_concurrent_in_place_increments_are_all_counted():
    counter = MutableGCounter()

    def work(index: int) -> None:
        for step in range(5000):
            counter.increment("shared")
            counter.increment(f"agent-{index}", step % 3 + 1)

    run_threads(work)
    assert counter.value_for("shared") == THREADS * 5000
    for index in range(THREADS):
        assert counter.value_for(f"agent-{index}") == sum(step % 3 + 1 for step in range(5000))
    assert counter.take_delta().agent_count() == THREADS + 1


def test_joins_in_opposite_directions_do_not_deadlock():
    counters = [MutableGCounter({f"agent-{i}": 1}) for i in range(4)]

    def work(index: int) -> None:
        mine = counters[index % 4]
        for step in range(3000):
            mine.increment(f"agent-{index % 4}")
            other = counters[(index + 1 + step) % 4]
            mine.join(other)
            other.join(mine)
            mine.compare(other)
            mine.equivalent(other)

    run_threads(work)
    for counter in counters:
        for other in counters:
            counter.join(other)
    expected = {f"agent-{i}": 1 + 2 * 3000 for i in range(4)}
    for counter in counters:
        assert counter.to_dict() == expected


def test_a_shared_immutable_counter_serves_many_threads():
    base = GCounter({"a": 1})
    results: list[list[GCounter]] = [[] for _ in range(THREADS)]

    def work(index: int) -> None:
        for step in range(500):
            results[index].append(base.increment(f"agent-{index}", step + 1).join(base))

    run_threads(work)
    assert base.to_dict() == {"a": 1}
    for index, made in enumerate(results):
        assert [c.value_for(f"agent-{index}") for c in made] == list(range(1, 501))


def test_each_thread_gets_the_message_of_its_own_failure():
    documents = ["[]", '{"a": -1}', '{"a": 1.5}', '{"a": 1, "a": 2}', "{} x", '{"a": null}', "", '{"a": "1"}']
    expected = {}
    for document in documents:
        with pytest.raises(InvalidJsonError) as caught:
            GCounter.from_json(document)
        expected[document] = str(caught.value)
    assert len(set(expected.values())) == len(documents)  # the messages tell the inputs apart

    def work(index: int) -> None:
        counter = MutableGCounter()
        for step in range(2000):
            document = documents[(index + step) % len(documents)]
            try:
                counter.join_json(document)
            except InvalidJsonError as error:
                assert str(error) == expected[document]
            else:
                raise AssertionError(f"{document!r} was accepted")
            counter.increment("ok")  # a successful call on this thread between two failures
        assert counter.value_for("ok") == 2000

    run_threads(work)


def test_close_while_other_threads_use_the_counter():
    for _ in range(10):
        counter = MutableGCounter({"a": 1})
        running = threading.Event()
        seen_closed: list[int] = []

        def work(index: int) -> None:
            if index == 0:
                running.wait(TIMEOUT)
                counter.close()
                return
            while True:  # until this thread meets the closed counter
                try:
                    counter.increment("a")
                    assert counter.value() >= 2
                except ValueError as error:
                    assert str(error) == "operation on a closed MutableGCounter"
                    seen_closed.append(index)
                    return
                running.set()

        run_threads(work, 4)
        assert counter.closed
        assert sorted(seen_closed) == [1, 2, 3]
