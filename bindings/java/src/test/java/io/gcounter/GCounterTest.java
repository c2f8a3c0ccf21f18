package io.gcounter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every method of {@link GCounter} on ordinary input; errors and edge counts have their own classes. */
class GCounterTest {

  @Test
  void newCounterIsEmpty() {
    try (GCounter c = new GCounter()) {
      assertEquals(0, c.value());
      assertEquals(BigInteger.ZERO, c.valueExact());
      assertEquals(0, c.agentCount());
      assertEquals(0, c.valueFor("nobody"));
      assertEquals("{}", c.toJson());
      assertFalse(c.isClosed());
    }
  }

  @Test
  void incrementAddsToTheAgentsSlot() {
    try (GCounter c = new GCounter()) {
      c.increment("agent-1", 3);
      c.increment("agent-1", 4);
      c.increment("agent-2");
      assertEquals(7, c.valueFor("agent-1"));
      assertEquals(1, c.valueFor("agent-2"));
      assertEquals(0, c.valueFor("agent-3"));
      assertEquals(8, c.value());
      assertEquals(2, c.agentCount());
    }
  }

  @Test
  void incrementByBigInteger() {
    try (GCounter c = new GCounter()) {
      c.increment("a", BigInteger.valueOf(5));
      c.increment("b", BigInteger.ONE.shiftLeft(63)); // above Long.MAX_VALUE
      assertEquals(5, c.valueFor("a"));
      assertEquals(BigInteger.ONE.shiftLeft(63), c.valueForBig("b"));
      assertEquals(BigInteger.ONE.shiftLeft(63).add(BigInteger.valueOf(5)), c.valueExact());
    }
  }

  @Test
  void agentIdsAreExactUtf8Strings() {
    try (GCounter c = new GCounter()) {
      c.increment("", 1);
      c.increment("a\0b", 2);
      c.increment("a", 4);
      c.increment("ünïcødé 😀", 8);
      assertEquals(1, c.valueFor(""));
      assertEquals(2, c.valueFor("a\0b"));
      assertEquals(4, c.valueFor("a"));
      assertEquals(0, c.valueFor("a\0"));
      assertEquals(8, c.valueFor("ünïcødé 😀"));
      assertEquals(4, c.agentCount());
    }
  }

  @Test
  void joinTakesThePerSlotMaximum() {
    try (GCounter a = new GCounter();
        GCounter b = new GCounter()) {
      a.increment("x", 5);
      a.increment("y", 1);
      b.increment("y", 3);
      b.increment("z", 2);
      a.join(b);
      assertEquals("{\"x\":5,\"y\":3,\"z\":2}", a.toJson());
      assertEquals("{\"y\":3,\"z\":2}", b.toJson(), "the joined-in counter is unchanged");
      a.join(b);
      assertEquals(10, a.value(), "join is idempotent");
    }
  }

  @Test
  void joinIsCommutative() {
    try (GCounter a = GCounter.fromJson("{\"p\":1,\"q\":9}");
        GCounter b = GCounter.fromJson("{\"q\":2,\"r\":4}");
        GCounter ab = a.copy();
        GCounter ba = b.copy()) {
      ab.join(b);
      ba.join(a);
      assertTrue(ab.equivalent(ba));
      assertEquals(ab.toJson(), ba.toJson());
    }
  }

  @Test
  void selfJoinChangesNothing() {
    try (GCounter a = GCounter.fromJson("{\"p\":1,\"q\":9}")) {
      a.join(a);
      assertEquals("{\"p\":1,\"q\":9}", a.toJson());
      assertTrue(a.equivalent(a));
      assertEquals(Order.EQUAL, a.compare(a));
    }
  }

  @Test
  void joinJsonMergesTheWireFormat() {
    try (GCounter a = GCounter.fromJson("{\"x\":5}")) {
      a.joinJson("{ \"x\": 2, \"y\": 7 }");
      assertEquals("{\"x\":5,\"y\":7}", a.toJson());
      a.joinJson("{\"x\":6}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertEquals(13, a.value());
    }
  }

  @Test
  void equivalentTreatsAbsentAgentsAsZero() {
    try (GCounter a = GCounter.fromJson("{\"x\":1,\"y\":0}");
        GCounter b = GCounter.fromJson("{\"x\":1}");
        GCounter c = GCounter.fromJson("{\"x\":2}")) {
      assertTrue(a.equivalent(b));
      assertTrue(b.equivalent(a));
      assertFalse(a.equivalent(c));
      assertEquals(1, a.agentCount(), "a slot of 0 is absent");
    }
  }

  @Test
  void equalsIsIdentityAndEquivalentComparesContents() {
    try (GCounter a = GCounter.fromJson("{\"x\":1}");
        GCounter sameSlots = GCounter.fromJson(a.toJson())) {
      assertNotEquals(a, sameSlots, "equals is identity, as documented");
      assertTrue(sameSlots.equivalent(a));
      assertEquals(a, a);
      assertEquals(System.identityHashCode(a), a.hashCode());
      Set<GCounter> set = new HashSet<>(Set.of(a));
      a.increment("x", 5);
      assertEquals(System.identityHashCode(a), a.hashCode(), "hashCode does not follow the slots");
      assertTrue(set.contains(a), "an increment keeps the counter in a HashSet");
      assertFalse(set.contains(sameSlots));
    }
  }

  @Test
  void compareGivesTheLatticeOrder() {
    try (GCounter base = GCounter.fromJson("{\"x\":1,\"y\":1}");
        GCounter same = GCounter.fromJson("{\"y\":1,\"x\":1}");
        GCounter more = GCounter.fromJson("{\"x\":2,\"y\":1}");
        GCounter other = GCounter.fromJson("{\"x\":1,\"z\":1}")) {
      assertEquals(Order.EQUAL, base.compare(same));
      assertEquals(Order.LESS, base.compare(more));
      assertEquals(Order.GREATER, more.compare(base));
      assertEquals(Order.CONCURRENT, base.compare(other));
      assertEquals(Order.CONCURRENT, other.compare(base));
    }
  }

  @Test
  void takeDeltaHoldsTheSlotsThatRose() {
    try (GCounter replica = GCounter.fromJson("{\"old\":4}")) {
      replica.increment("a", 2);
      replica.joinJson("{\"b\":5,\"old\":3}"); // "old" does not rise
      try (GCounter delta = replica.takeDelta()) {
        assertEquals("{\"a\":2,\"b\":5}", delta.toJson());
      }
      try (GCounter empty = replica.takeDelta()) {
        assertEquals("{}", empty.toJson(), "taking a delta starts a new record");
      }
      replica.increment("a", 1);
      try (GCounter delta = replica.takeDelta()) {
        assertEquals("{\"a\":3}", delta.toJson(), "a delta holds current counts, not differences");
      }
    }
  }

  @Test
  void deltasJoinedInAnyOrderGiveTheFullState() {
    try (GCounter replica = new GCounter();
        GCounter peer = new GCounter()) {
      replica.increment("r", 1);
      GCounter first = replica.takeDelta();
      replica.increment("r", 2);
      replica.increment("s", 5);
      GCounter second = replica.takeDelta();
      peer.join(second);
      peer.join(first);
      peer.join(second);
      assertTrue(peer.equivalent(replica));
      first.close();
      second.close();
    }
  }

  @Test
  void copyIsIndependent() {
    try (GCounter a = GCounter.fromJson("{\"x\":1}");
        GCounter b = a.copy()) {
      b.increment("x", 1);
      assertEquals(1, a.valueFor("x"));
      assertEquals(2, b.valueFor("x"));
      try (GCounter delta = b.takeDelta()) {
        assertEquals("{\"x\":2}", delta.toJson(), "a copy starts with an empty delta record");
      }
    }
  }

  @Test
  void copyHasAnEmptyDeltaRecord() {
    try (GCounter a = new GCounter()) {
      a.increment("x", 1);
      try (GCounter b = a.copy();
          GCounter delta = b.takeDelta()) {
        assertEquals("{}", delta.toJson());
      }
    }
  }

  @Test
  void toStringNamesTheStateAndNeverThrows() {
    GCounter c = GCounter.fromJson("{\"x\":1,\"y\":2}");
    assertEquals("GCounter[agents=2]", c.toString());
    c.close();
    assertEquals("GCounter[closed]", c.toString());
  }

  @Test
  void libraryVersionIsSemver() {
    assertTrue(
        GCounter.libraryVersion().matches("\\d+\\.\\d+\\.\\d+.*"), GCounter.libraryVersion());
  }

  @Test
  void nullArgumentsAreNullPointerExceptions() {
    try (GCounter c = new GCounter()) {
      assertThrows(NullPointerException.class, () -> c.increment(null, 1));
      assertThrows(NullPointerException.class, () -> c.increment("a", (BigInteger) null));
      assertThrows(NullPointerException.class, () -> c.valueFor(null));
      assertThrows(NullPointerException.class, () -> c.join(null));
      assertThrows(NullPointerException.class, () -> c.joinJson((String) null));
      assertThrows(NullPointerException.class, () -> c.equivalent(null));
      assertThrows(NullPointerException.class, () -> c.compare(null));
      assertThrows(NullPointerException.class, () -> GCounter.fromJson((byte[]) null));
      assertEquals("{}", c.toJson());
    }
  }

  @Test
  void statusAndOrderMirrorTheAbi() {
    Status[] statuses = {
      Status.OK, Status.NULL_POINTER, Status.INVALID_ARGUMENT, Status.INVALID_UTF8,
      Status.OVERFLOW, Status.INVALID_JSON, Status.PANIC
    };
    for (int code = 0; code < statuses.length; code++) {
      assertEquals(code, statuses[code].code());
      assertEquals(statuses[code], Status.fromCode(code));
    }
    assertEquals(Status.UNKNOWN, Status.fromCode(7));
    assertEquals(Status.UNKNOWN, Status.fromCode(-1));
    Order[] orders = {Order.EQUAL, Order.LESS, Order.GREATER, Order.CONCURRENT};
    for (int code = 0; code < orders.length; code++) {
      assertEquals(code, orders[code].code());
      assertEquals(orders[code], Order.fromCode(code));
    }
    assertThrows(IllegalArgumentException.class, () -> Order.fromCode(4));
    assertNotEquals(Status.OK, Status.UNKNOWN);
  }

  /**
   * The binding keeps the UTF-8 of recently used ids in a table of a few thousand entries: ten
   * thousand ids, equal ones as different String objects, and ids that are not ASCII, must each
   * stay their own agent however they share its entries.
   */
  @Test
  void manyIdsStayDistinctAgents() {
    int agents = 10_000;
    try (GCounter c = new GCounter()) {
      for (int round = 1; round <= 3; round++) {
        for (int i = 0; i < agents; i++) {
          c.increment(new String("agent-" + i), i % 7 + 1);
          c.increment("\u00e9\u4e2d-" + i, 1);
        }
      }
      assertEquals(2L * agents, c.agentCount());
      for (int i = 0; i < agents; i++) {
        assertEquals(3L * (i % 7 + 1), c.valueFor("agent-" + i), "agent-" + i);
        assertEquals(3, c.valueFor("\u00e9\u4e2d-" + i));
      }
    }
  }
}
