package io.gcounter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Each native handle is freed exactly once: by close(), or by the Cleaner for a dropped counter. */
class LifetimeTest {

  @Test
  void closeIsIdempotent() {
    GCounter c = new GCounter();
    c.increment("a", 1);
    c.close();
    assertTrue(c.isClosed());
    c.close();
    c.close();
    assertTrue(c.isClosed());
  }

  @Test
  void tryWithResourcesCloses() {
    GCounter outside;
    try (GCounter c = new GCounter()) {
      outside = c;
      c.increment("a", 1);
    }
    assertTrue(outside.isClosed());
  }

  @Test
  void everyMethodOfAClosedCounterIsIllegalState() {
    Map<String, Consumer<GCounter>> calls =
        Map.ofEntries(
            Map.entry("increment", c -> c.increment("a", 1)),
            Map.entry("increment(by 1)", c -> c.increment("a")),
            Map.entry("increment(BigInteger)", c -> c.increment("a", BigInteger.ONE)),
            Map.entry("join", c -> c.join(new GCounter())),
            Map.entry("join(self)", c -> c.join(c)),
            Map.entry("joinJson", c -> c.joinJson("{}")),
            Map.entry("value", GCounter::value),
            Map.entry("valueExact", GCounter::valueExact),
            Map.entry("valueFor", c -> c.valueFor("a")),
            Map.entry("valueForBig", c -> c.valueForBig("a")),
            Map.entry("agentCount", GCounter::agentCount),
            Map.entry("equivalent", c -> c.equivalent(new GCounter())),
            Map.entry("compare", c -> c.compare(new GCounter())),
            Map.entry("toJson", GCounter::toJson),
            Map.entry("toJsonBytes", GCounter::toJsonBytes),
            Map.entry("takeDelta", GCounter::takeDelta),
            Map.entry("copy", GCounter::copy),
            Map.entry("deltaFor", c -> c.deltaFor(new GCounter())),
            Map.entry("deltaFor(self)", c -> c.deltaFor(c)),
            Map.entry("forEach", c -> c.forEach((id, count) -> {})),
            Map.entry("toMap", GCounter::toMap));
    for (Map.Entry<String, Consumer<GCounter>> call : calls.entrySet()) {
      GCounter closed = new GCounter();
      closed.close();
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> call.getValue().accept(closed), call.getKey());
      assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
  }

  @Test
  void anOpenCounterRefusesAClosedArgument() {
    try (GCounter open = GCounter.fromJson("{\"a\":1}")) {
      GCounter closed = new GCounter();
      closed.close();
      assertThrows(IllegalStateException.class, () -> open.join(closed));
      assertThrows(IllegalStateException.class, () -> open.equivalent(closed));
      assertThrows(IllegalStateException.class, () -> open.compare(closed));
      assertThrows(IllegalStateException.class, () -> open.deltaFor(closed));
      assertEquals("{\"a\":1}", open.toJson());
    }
  }

  /**
   * 100,000 counters dropped without close() are all freed by the Cleaner once collected, and
   * 100,000 closed ones are not freed a second time (a double free would abort the JVM).
   */
  @Test
  void droppedCountersAreFreedByTheCleaner() throws InterruptedException {
    int dropped = 100_000;
    long openBefore = GCounter.openHandles();
    long freedBefore = GCounter.freedByCleaner();
    for (int i = 0; i < dropped; i++) {
      GCounter forgotten = new GCounter();
      forgotten.increment("agent-" + i, i + 1);
      try (GCounter closed = forgotten.copy()) {
        assertEquals(i + 1, closed.value());
      }
    }
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
    while (GCounter.freedByCleaner() - freedBefore < dropped && System.nanoTime() < deadline) {
      System.gc();
      Thread.sleep(20);
    }
    assertTrue(
        GCounter.freedByCleaner() - freedBefore >= dropped,
        "the Cleaner freed " + (GCounter.freedByCleaner() - freedBefore) + " of " + dropped);
    assertTrue(
        GCounter.openHandles() <= openBefore,
        "open handles: " + GCounter.openHandles() + ", before: " + openBefore);
  }
}
