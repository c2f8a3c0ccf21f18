package io.gcounter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** Counts beyond Java's long: never returned as a negative number, exact as BigInteger. */
class BigCountTest {
  private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  @Test
  void longMaxValueIsStillALong() {
    try (GCounter c = new GCounter()) {
      c.increment("a", Long.MAX_VALUE);
      assertEquals(Long.MAX_VALUE, c.value());
      assertEquals(Long.MAX_VALUE, c.valueFor("a"));
    }
  }

  @Test
  void slotAboveLongMaxValueThrowsArithmeticExceptionAsLong() {
    try (GCounter c = GCounter.fromJson("{\"big\":" + U64_MAX + ",\"small\":1}")) {
      ArithmeticException e = assertThrows(ArithmeticException.class, () -> c.valueFor("big"));
      assertEquals(
          "the agent's count, 18446744073709551615, does not fit in a long (it is above"
              + " Long.MAX_VALUE); call valueForBig(agentId) to read it exactly as a BigInteger",
          e.getMessage());
      assertEquals(U64_MAX, c.valueForBig("big"));
      assertEquals(1, c.valueFor("small"));
      assertEquals(BigInteger.ONE, c.valueForBig("small"));
    }
  }

  @Test
  void totalAboveLongMaxValueIsExactAsBigInteger() {
    try (GCounter c = new GCounter()) {
      c.increment("a", Long.MAX_VALUE);
      c.increment("b", 1);
      ArithmeticException e = assertThrows(ArithmeticException.class, c::value);
      assertEquals(
          "the total, 9223372036854775808, does not fit in a long (it is above Long.MAX_VALUE);"
              + " call valueExact() to read it exactly as a BigInteger",
          e.getMessage());
      assertEquals(LONG_MAX.add(BigInteger.ONE), c.valueExact());
      c.increment("c", Long.MAX_VALUE);
      assertEquals(LONG_MAX.multiply(BigInteger.TWO).add(BigInteger.ONE), c.valueExact());
    }
  }

  @Test
  void totalAboveTwoToThe64IsExactAndAnOverflowErrorAsLong() {
    BigInteger half = BigInteger.ONE.shiftLeft(63);
    try (GCounter c = GCounter.fromJson("{\"a\":" + half + ",\"b\":" + half.subtract(BigInteger.ONE) + "}")) {
      assertEquals(U64_MAX, c.valueExact());
      c.increment("b", 1); // the slot may grow; only the sum leaves the range
      assertEquals(BigInteger.ONE.shiftLeft(64), c.valueExact());
      assertEquals(Status.OVERFLOW, assertThrows(GCounterException.class, c::value).status());
      assertEquals(half, c.valueForBig("a"));
      assertEquals(half, c.valueForBig("b"));
      assertEquals(2, c.agentCount());
    }
  }

  @Test
  void twoAgentsAtTheTopSumPastTwoToThe64() {
    try (GCounter c = new GCounter()) {
      c.increment("a", U64_MAX);
      c.increment("b", U64_MAX);
      assertEquals(U64_MAX.shiftLeft(1), c.valueExact());
      c.increment("\u00e9", U64_MAX);
      assertEquals(U64_MAX.multiply(BigInteger.valueOf(3)), c.valueExact());
    }
  }

  @Test
  void valueExactIsExactAtEveryBoundary() {
    try (GCounter c = new GCounter()) {
      assertEquals(BigInteger.ZERO, c.valueExact());
      c.increment("a", Long.MAX_VALUE);
      assertEquals(LONG_MAX, c.valueExact());
      c.increment("b", 1);
      assertEquals(LONG_MAX.add(BigInteger.ONE), c.valueExact());
      c.increment("c", U64_MAX.subtract(LONG_MAX).subtract(BigInteger.ONE));
      assertEquals(U64_MAX, c.valueExact());
      c.increment("d", 1);
      assertEquals(U64_MAX.add(BigInteger.ONE), c.valueExact());
    }
  }

  @Test
  @SuppressWarnings("deprecation")
  void valueBigOfOldIsValueExact() {
    try (GCounter c = new GCounter()) {
      c.increment("a", U64_MAX);
      c.increment("b", 2);
      assertEquals(U64_MAX.add(BigInteger.TWO), c.valueBig());
      assertEquals(c.valueExact(), c.valueBig());
    }
  }

  @Test
  void incrementToTheTopOfTheSlotAndNoFurther() {
    try (GCounter c = new GCounter()) {
      c.increment("a", U64_MAX.subtract(BigInteger.TEN));
      c.increment("a", 10);
      assertEquals(U64_MAX, c.valueForBig("a"));
      assertEquals(
          Status.OVERFLOW, assertThrows(GCounterException.class, () -> c.increment("a", 1)).status());
      assertEquals(
          Status.OVERFLOW,
          assertThrows(GCounterException.class, () -> c.increment("a", U64_MAX)).status());
      assertEquals(U64_MAX, c.valueForBig("a"));
    }
  }

  @Test
  void bigIncrementsReachTheFullRange() {
    try (GCounter c = new GCounter()) {
      c.increment("a", U64_MAX);
      assertEquals(U64_MAX, c.valueForBig("a"));
      assertEquals("{\"a\":" + U64_MAX + "}", c.toJson());
    }
  }

  @Test
  void joinAndCompareKeepBigCountsExact() {
    try (GCounter a = GCounter.fromJson("{\"x\":" + U64_MAX + "}");
        GCounter b = GCounter.fromJson("{\"x\":" + U64_MAX.subtract(BigInteger.ONE) + "}")) {
      assertEquals(Order.GREATER, a.compare(b));
      assertEquals(Order.LESS, b.compare(a));
      b.join(a);
      assertEquals(Order.EQUAL, a.compare(b));
      assertEquals(U64_MAX, b.valueForBig("x"));
    }
  }
}
