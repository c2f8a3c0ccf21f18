package io.gcounter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** One counter shared by many threads: no lost update, no deadlock, no crash. */
class ConcurrencyTest {
  private static final int THREADS = 32;

  @Test
  void thirtyTwoThreadsIncrementingOneCounterLoseNothing() throws Exception {
    int rounds = 2_000;
    try (GCounter shared = new GCounter()) {
      runTogether(
          THREADS,
          i ->
              () -> {
                for (int r = 0; r < rounds; r++) {
                  shared.increment("shared", 1);
                  shared.increment("agent-" + i, i + 1);
                }
                return null;
              });
      assertEquals(THREADS * rounds, shared.valueFor("shared"));
      long expected = (long) THREADS * rounds;
      for (int i = 0; i < THREADS; i++) {
        assertEquals((long) rounds * (i + 1), shared.valueFor("agent-" + i));
        expected += (long) rounds * (i + 1);
      }
      assertEquals(expected, shared.value());
      assertEquals(THREADS + 1, shared.agentCount());
    }
  }

  @Test
  void readersSeeTheTotalOnlyGrow() throws Exception {
    int rounds = 2_000;
    try (GCounter shared = new GCounter()) {
      runTogether(
          8,
          i ->
              () -> {
                long seen = 0;
                for (int r = 0; r < rounds; r++) {
                  if (i % 2 == 0) {
                    shared.increment("writer-" + i, 1);
                  } else {
                    long now = shared.value();
                    assertTrue(now >= seen, now + " after " + seen);
                    seen = now;
                    GCounter.fromJson(shared.toJson()).close();
                  }
                }
                return null;
              });
      assertEquals(4L * rounds, shared.value());
    }
  }

  @Test
  void joinsInBothDirectionsDoNotDeadlock() throws Exception {
    try (GCounter a = new GCounter();
        GCounter b = new GCounter()) {
      runTogether(
          4,
          i ->
              () -> {
                GCounter mine = i % 2 == 0 ? a : b;
                GCounter theirs = i % 2 == 0 ? b : a;
                for (int r = 0; r < 2_000; r++) {
                  mine.increment("t" + i, 1);
                  mine.join(theirs);
                  mine.join(mine);
                  theirs.compare(mine);
                  mine.equivalent(theirs);
                }
                return null;
              });
      a.join(b);
      b.join(a);
      assertTrue(a.equivalent(b));
      assertEquals(8_000, a.value());
    }
  }

  @Test
  void closingWhileOthersUseTheCounterIsAnOrderlyError() throws Exception {
    for (int trial = 0; trial < 20; trial++) {
      GCounter shared = new GCounter();
      GCounter peer = GCounter.fromJson("{\"p\":1}");
      AtomicBoolean closed = new AtomicBoolean();
      runTogether(
          4,
          i ->
              () -> {
                if (i == 0) {
                  Thread.yield();
                  shared.close();
                  closed.set(true);
                  return null;
                }
                int succeeded = 0;
                while (true) {
                  try {
                    shared.increment("w" + i, 1);
                    shared.join(peer);
                    peer.compare(shared);
                    shared.toJson();
                    succeeded++;
                  } catch (IllegalStateException e) {
                    assertTrue(closed.get() || shared.isClosed(), "closed only by close()");
                    return succeeded;
                  }
                }
              });
      assertTrue(shared.isClosed());
      assertEquals(1, peer.value(), "the peer is untouched");
      peer.close();
    }
  }

  interface TaskFactory {
    Callable<Object> task(int index);
  }

  /** Starts {@code count} tasks at once and rethrows the first failure (or hang) of any. */
  static void runTogether(int count, TaskFactory factory) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(count);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Object>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Callable<Object> task = factory.task(i);
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return task.call();
                }));
      }
      start.countDown();
      for (Future<Object> future : futures) {
        future.get(5, TimeUnit.MINUTES); // a deadlock fails the test instead of hanging the build
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
