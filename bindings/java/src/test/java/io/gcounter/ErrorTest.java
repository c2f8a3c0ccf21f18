package io.gcounter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Every way a call can fail: the exception type, its status and message, and no change made. */
class ErrorTest {
  private static final String U64_MAX = "18446744073709551615";

  @Test
  void incrementByZeroIsTheLibrarysInvalidArgument() {
    try (GCounter c = GCounter.fromJson("{\"a\":1}")) {
      for (Runnable zero :
          new Runnable[] {() -> c.increment("a", 0), () -> c.increment("a", BigInteger.ZERO)}) {
        GCounterException e = assertThrows(GCounterException.class, zero::run);
        assertEquals(Status.INVALID_ARGUMENT, e.status());
        assertEquals("increment 'by' must be at least 1, got 0", e.detail()); // the library's words
      }
      assertEquals("{\"a\":1}", c.toJson());
    }
  }

  @Test
  void negativeIncrementIsRefusedAsZeroIs() {
    try (GCounter c = GCounter.fromJson("{\"a\":1}")) {
      List<Runnable> negatives =
          List.of(
              () -> c.increment("a", -1),
              () -> c.increment("a", Long.MIN_VALUE),
              () -> c.increment("a", BigInteger.ONE.negate()));
      for (Runnable negative : negatives) {
        GCounterException e = assertThrows(GCounterException.class, negative::run);
        assertEquals(Status.INVALID_ARGUMENT, e.status());
        assertTrue(e.detail().startsWith("increment 'by' must be at least 1, got -"), e.detail());
      }
      assertEquals("{\"a\":1}", c.toJson());
    }
  }

  @Test
  void incrementAbove2To64Minus1IsOverflow() {
    try (GCounter c = GCounter.fromJson("{\"a\":1}")) {
      BigInteger tooLarge = BigInteger.ONE.shiftLeft(64);
      GCounterException e = assertThrows(GCounterException.class, () -> c.increment("b", tooLarge));
      assertEquals(Status.OVERFLOW, e.status());
      assertEquals("increment 'by' must be at most 2^64-1, got 18446744073709551616", e.detail());
      c.increment("b", new BigInteger(U64_MAX));
      assertEquals(new BigInteger(U64_MAX), c.valueForBig("b"));
    }
  }

  @Test
  void unpairedSurrogateInAnAgentIdIsInvalidUtf8() {
    try (GCounter c = GCounter.fromJson("{\"a\":1}")) {
      for (String id : new String[] {"\uD800", "x\uDC00", "ab\uD83D", "\uDE00\uD83D"}) {
        GCounterException e = assertThrows(GCounterException.class, () -> c.increment(id, 1));
        assertEquals(Status.INVALID_UTF8, e.status());
        assertEquals(Status.INVALID_UTF8.code(), e.code());
        assertTrue(e.detail().contains("unpaired surrogate"), e.detail());
        assertEquals(
            Status.INVALID_UTF8, assertThrows(GCounterException.class, () -> c.valueFor(id)).status());
        assertEquals(
            Status.INVALID_UTF8,
            assertThrows(GCounterException.class, () -> c.valueForBig(id)).status());
      }
      assertEquals("{\"a\":1}", c.toJson());
      c.increment("\uD83D\uDE00", 1); // a proper pair is a character
      assertEquals(1, c.valueFor("😀"));
    }
  }

  @Test
  void invalidJsonCarriesTheLibrarysMessage() {
    GCounterException e =
        assertThrows(GCounterException.class, () -> GCounter.fromJson("{\"a\":1,}"));
    assertEquals(Status.INVALID_JSON, e.status());
    assertTrue(e.detail().startsWith("invalid JSON at byte "), e.detail());
    String statusText = Libgcounter.LIB.statusText(5);
    assertEquals(statusText + ": " + e.detail(), e.getMessage());
  }

  @Test
  void joinJsonThatFailsChangesNothing() {
    try (GCounter c = GCounter.fromJson("{\"a\":1}")) {
      c.increment("b", 1);
      GCounterException e =
          assertThrows(GCounterException.class, () -> c.joinJson("{\"a\":5,\"c\":-1}"));
      assertEquals(Status.INVALID_JSON, e.status());
      assertEquals("{\"a\":1,\"b\":1}", c.toJson());
      try (GCounter delta = c.takeDelta()) {
        assertEquals("{\"b\":1}", delta.toJson(), "the delta record is unchanged too");
      }
    }
  }

  @Test
  void slotOverflowNamesTheAgent() {
    try (GCounter c = GCounter.fromJson("{\"full\":" + U64_MAX + "}")) {
      GCounterException e = assertThrows(GCounterException.class, () -> c.increment("full", 1));
      assertEquals(Status.OVERFLOW, e.status());
      assertTrue(e.detail().contains("\"full\""), e.detail());
      assertEquals(new BigInteger(U64_MAX), c.valueForBig("full"));
    }
  }

  @Test
  void eachFailureReportsItsOwnMessage() {
    GCounterException first =
        assertThrows(GCounterException.class, () -> GCounter.fromJson("[1]"));
    try (GCounter ok = GCounter.fromJson("{}")) {
      assertEquals(0, ok.value());
    }
    GCounterException second =
        assertThrows(GCounterException.class, () -> GCounter.fromJson("{\"a\":1.5}"));
    assertTrue(first.detail().startsWith("invalid JSON at byte "), first.detail());
    assertFalse(first.detail().contains("\"a\""), first.detail());
    assertTrue(second.detail().contains("agent \"a\""), second.detail());
  }

  @Test
  void aCodeThisBindingDoesNotKnowIsUnknown() {
    GCounterException e = new GCounterException(42, "");
    assertEquals(Status.UNKNOWN, e.status());
    assertEquals(42, e.code());
    assertEquals(Libgcounter.LIB.statusText(42), e.getMessage());
  }

  /**
   * The message is thread-local in the library: 32 threads failing at once in 32 different ways
   * must each see the message of their own failure, never a neighbour's.
   */
  @Test
  void concurrentFailuresEachGetTheirOwnMessage() throws Exception {
    int threads = 32;
    List<GCounter> fullCounters = new ArrayList<>();
    List<ThrowingCall> calls = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      calls.add(distinctFailure(i, fullCounters));
    }
    List<String> expected = new ArrayList<>();
    for (ThrowingCall call : calls) {
      expected.add(failureOf(call).getMessage());
    }
    assertEquals(threads, new HashSet<>(expected).size(), "the 32 failures differ: " + expected);

    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        ThrowingCall call = calls.get(i);
        String mine = expected.get(i);
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int round = 0; round < 2_000; round++) {
                    String got = failureOf(call).getMessage();
                    if (!got.equals(mine)) {
                      return "round " + round + ": expected <" + mine + "> but got <" + got + ">";
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<String> result : results) {
        assertEquals(null, result.get(5, TimeUnit.MINUTES));
      }
    } finally {
      pool.shutdownNow();
      fullCounters.forEach(GCounter::close);
    }
  }

  /** Thread {@code i}'s failure: odd ones overflow agent i's slot, even ones break JSON at byte i. */
  private static ThrowingCall distinctFailure(int i, List<GCounter> fullCounters) {
    if (i % 2 == 1) {
      GCounter full = GCounter.fromJson("{\"agent-" + i + "\":" + U64_MAX + "}");
      fullCounters.add(full);
      return () -> full.increment("agent-" + i, 1);
    }
    String json = "{\"a\":1" + " ".repeat(i) + "x}";
    return () -> GCounter.fromJson(json).close();
  }

  @Test
  void onAPlatformThreadTheMessageIsRead() {
    assertFalse(GCounterException.onVirtualThread());
    assertFalse(failureOf(() -> GCounter.fromJson("")).detail().isEmpty());
  }

  /**
   * On a virtual thread (Java 21+) the thread-local message cannot be tied to the failing call's
   * carrier, so the error rests on the status alone. On Java 17-20 there are no virtual threads.
   */
  @Test
  void onAVirtualThreadTheErrorRestsOnTheStatus() throws Exception {
    if (Runtime.version().feature() < 21) {
      assertThrows(NoSuchMethodException.class, () -> Thread.class.getMethod("isVirtual"));
      return;
    }
    AtomicReference<Object> outcome = new AtomicReference<>();
    Runnable task =
        () -> {
          try {
            outcome.set(
                List.of(
                    GCounterException.onVirtualThread(), failureOf(() -> GCounter.fromJson("[]"))));
          } catch (Throwable t) {
            outcome.set(t);
          }
        };
    Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
    Thread thread =
        (Thread)
            Class.forName("java.lang.Thread$Builder")
                .getMethod("start", Runnable.class)
                .invoke(builder, task);
    thread.join();
    List<?> result = (List<?>) outcome.get();
    assertEquals(true, result.get(0));
    GCounterException e = (GCounterException) result.get(1);
    assertEquals(Status.INVALID_JSON, e.status());
    assertEquals("", e.detail());
  }

  @FunctionalInterface
  interface ThrowingCall {
    void run();
  }

  private static GCounterException failureOf(ThrowingCall call) {
    return assertThrows(GCounterException.class, call::run);
  }
}
