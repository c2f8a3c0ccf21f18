package io.gcounter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** deltaFor: what a peer lacks, nothing more, and neither counter touched. */
class DeltaForTest {
  @Test
  void theDeltaHoldsExactlyTheSlotsWhereThisCounterIsAhead() {
    try (GCounter mine = GCounter.fromJson("{\"a\":5,\"b\":1,\"c\":3,\"d\":2}");
        GCounter peer = GCounter.fromJson("{\"a\":5,\"b\":4,\"c\":1,\"e\":9}");
        GCounter delta = mine.deltaFor(peer)) {
      assertEquals("{\"c\":3,\"d\":2}", delta.toJson());
    }
  }

  @Test
  void joiningTheDeltaIntoThePeerEqualsJoiningTheWholeCounter() {
    Random random = new Random(20260);
    for (int trial = 0; trial < 200; trial++) {
      try (GCounter mine = randomCounter(random);
          GCounter peer = randomCounter(random);
          GCounter delta = mine.deltaFor(peer);
          GCounter viaDelta = peer.copy();
          GCounter viaWhole = peer.copy()) {
        viaDelta.join(delta);
        viaWhole.join(mine);
        assertEquals(viaWhole.toJson(), viaDelta.toJson(), mine.toJson() + " for " + peer.toJson());
        // Minimal: every slot sent is one the peer has less of, at this counter's count.
        delta.forEach(
            (agentId, count) -> {
              assertEquals(mine.valueFor(agentId), count, agentId);
              assertTrue(peer.valueFor(agentId) < count, agentId);
            });
        Order order = mine.compare(peer);
        boolean peerHasAll = order == Order.EQUAL || order == Order.LESS;
        assertEquals(peerHasAll, delta.agentCount() == 0, order.toString());
      }
    }
  }

  @Test
  void theDeltaIsEmptyWhenThePeerIsEqualOrAhead() {
    try (GCounter mine = GCounter.fromJson("{\"a\":1,\"b\":2}");
        GCounter equal = GCounter.fromJson("{\"b\":2,\"a\":1}");
        GCounter ahead = GCounter.fromJson("{\"a\":1,\"b\":3,\"c\":1}");
        GCounter forEqual = mine.deltaFor(equal);
        GCounter forAhead = mine.deltaFor(ahead);
        GCounter forItself = mine.deltaFor(mine)) {
      assertEquals("{}", forEqual.toJson());
      assertEquals("{}", forAhead.toJson());
      assertEquals("{}", forItself.toJson());
      assertNotSame(mine, forItself);
    }
  }

  @Test
  void toAnEmptyPeerTheDeltaIsTheWholeCounter() {
    try (GCounter mine = GCounter.fromJson("{\"a\":1,\"\\u00e9\":2}");
        GCounter empty = new GCounter();
        GCounter delta = mine.deltaFor(empty)) {
      assertTrue(delta.equivalent(mine));
    }
  }

  @Test
  void neitherCounterNorItsDeltaRecordChanges() {
    try (GCounter mine = new GCounter();
        GCounter peer = new GCounter()) {
      mine.increment("a", 3);
      mine.increment("b", 1);
      peer.increment("a", 1);
      peer.increment("p", 7);
      String mineBefore = mine.toJson();
      String peerBefore = peer.toJson();
      try (GCounter delta = mine.deltaFor(peer)) {
        assertEquals("{\"a\":3,\"b\":1}", delta.toJson());
        try (GCounter deltaRecord = delta.takeDelta()) {
          assertEquals("{}", deltaRecord.toJson(), "a new counter's delta record is empty");
        }
      }
      assertEquals(mineBefore, mine.toJson());
      assertEquals(peerBefore, peer.toJson());
      try (GCounter mineRecord = mine.takeDelta();
          GCounter peerRecord = peer.takeDelta()) {
        assertEquals(mineBefore, mineRecord.toJson(), "the increments are still in the record");
        assertEquals(peerBefore, peerRecord.toJson());
      }
    }
  }

  @Test
  void theDeltaIsAnIndependentCounter() {
    try (GCounter mine = GCounter.fromJson("{\"a\":2}");
        GCounter peer = new GCounter();
        GCounter delta = mine.deltaFor(peer)) {
      delta.increment("a", 1);
      assertEquals(3, delta.valueFor("a"));
      assertEquals(2, mine.valueFor("a"));
    }
  }

  @Test
  void aNullPeerIsANullPointerException() {
    try (GCounter mine = new GCounter()) {
      assertThrows(NullPointerException.class, () -> mine.deltaFor(null));
    }
  }

  /** Up to 12 agents out of 16, counts 1..4, so that counters often share slots. */
  private static GCounter randomCounter(Random random) {
    GCounter counter = new GCounter();
    int agents = random.nextInt(13);
    for (int i = 0; i < agents; i++) {
      counter.increment("agent-" + random.nextInt(16), 1 + random.nextInt(4));
    }
    return counter;
  }
}
