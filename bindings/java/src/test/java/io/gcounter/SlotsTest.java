package io.gcounter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.ConcurrentModificationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** forEach and toMap: the slots in canonical order, without JSON. */
class SlotsTest {
  private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  /**
   * Ids in UTF-8 byte order: NUL bytes sort low, U+FFFF (EF BF BF) before U+1F600 (F0 9F 98 80),
   * which String.compareTo puts the other way round (its surrogate 0xD83D is below 0xFFFF).
   */
  private static final List<String> CANONICAL =
      List.of("", "a", "a\0", "a\0b", "ab", "z", "\u00e9", "\u4e2d", "\uffff", "\ud83d\ude00");

  @Test
  void forEachWalksTheSlotsInUtf8ByteOrder() {
    try (GCounter c = new GCounter()) {
      List<String> shuffled = new ArrayList<>(CANONICAL);
      Collections.reverse(shuffled);
      for (String id : shuffled) {
        c.increment(id, CANONICAL.indexOf(id) + 1);
      }
      List<String> seen = new ArrayList<>();
      c.forEach(
          (agentId, count) -> {
            assertEquals(CANONICAL.indexOf(agentId) + 1, count, agentId);
            seen.add(agentId);
          });
      assertEquals(CANONICAL, seen);
      assertTrue("\ud83d\ude00".compareTo("\uffff") < 0, "String order differs, so the case matters");
    }
  }

  @Test
  void theWalkIsTheOrderOfToJson() {
    try (GCounter c = GCounter.fromJson("{\"\\ud83d\\ude00\":1,\"\\uffff\":2,\"b\\u0000\":3,\"b\":4}")) {
      StringBuilder json = new StringBuilder("{");
      c.forEach(
          (agentId, count) -> {
            try (GCounter one = new GCounter()) {
              one.increment(agentId, count);
              String member = one.toJson();
              json.append(json.length() > 1 ? "," : "").append(member, 1, member.length() - 1);
            }
          });
      assertEquals(c.toJson(), json.append('}').toString());
    }
  }

  @Test
  void agentIdOrderIsTheCanonicalOrder() {
    List<String> sorted = new ArrayList<>(CANONICAL);
    Collections.shuffle(sorted, new java.util.Random(7));
    sorted.sort(GCounter.AGENT_ID_ORDER);
    assertEquals(CANONICAL, sorted);
    assertEquals(0, GCounter.AGENT_ID_ORDER.compare("\u00e9", "\u00e9"));
    assertTrue(GCounter.AGENT_ID_ORDER.compare("\ud83d\ude00", "\ud83d\ude01") < 0);
    assertTrue(GCounter.AGENT_ID_ORDER.compare("\ue000", "\ud800\udc00") < 0);
    assertTrue(GCounter.AGENT_ID_ORDER.compare("\ud7ff", "\ud800\udc00") < 0);
  }

  @Test
  void toMapIsAnExactCopyInCanonicalOrder() {
    try (GCounter c = GCounter.fromJson("{\"zero\":0,\"top\":" + U64_MAX + ",\"\\u00e9\":2,\"a\":1}")) {
      Map<String, BigInteger> slots = c.toMap();
      assertTrue(slots instanceof LinkedHashMap, slots.getClass().toString());
      assertEquals(List.of("a", "top", "\u00e9"), new ArrayList<>(slots.keySet()));
      assertEquals(List.of(BigInteger.ONE, U64_MAX, BigInteger.TWO), new ArrayList<>(slots.values()));
      slots.put("mine", BigInteger.TEN); // a copy: the counter does not see it
      assertEquals(3, c.agentCount());
      TreeMap<String, BigInteger> sorted = new TreeMap<>(GCounter.AGENT_ID_ORDER);
      sorted.putAll(c.toMap());
      assertEquals(new ArrayList<>(c.toMap().keySet()), new ArrayList<>(sorted.keySet()));
    }
  }

  @Test
  void forEachPassesCountsAboveLongMaxValueAsUnsigned() {
    try (GCounter c = GCounter.fromJson("{\"big\":" + U64_MAX + ",\"half\":9223372036854775808}")) {
      List<String> seen = new ArrayList<>();
      c.forEach((agentId, count) -> seen.add(agentId + "=" + Long.toUnsignedString(count)));
      assertEquals(List.of("big=" + U64_MAX, "half=9223372036854775808"), seen);
    }
  }

  @Test
  void anEmptyCounterHasNoSlots() {
    try (GCounter c = GCounter.fromJson("{\"zero\":0}")) {
      c.forEach((agentId, count) -> {
        throw new AssertionError(agentId);
      });
      assertEquals(Map.of(), c.toMap());
    }
  }

  @Test
  void changingTheCounterDuringTheWalkIsAConcurrentModification() {
    try (GCounter c = GCounter.fromJson("{\"a\":1,\"b\":2,\"c\":3}")) {
      List<String> seen = new ArrayList<>();
      assertThrows(
          ConcurrentModificationException.class,
          () -> c.forEach(
              (agentId, count) -> {
                seen.add(agentId);
                c.increment("a0", 1);
              }));
      assertEquals(List.of("a"), seen);
      assertEquals("{\"a\":1,\"a0\":1,\"b\":2,\"c\":3}", c.toJson());
    }
  }

  @Test
  void readingTheCounterDuringTheWalkIsAllowed() {
    try (GCounter c = GCounter.fromJson("{\"a\":1,\"b\":2}")) {
      List<String> seen = new ArrayList<>();
      c.forEach((agentId, count) -> seen.add(agentId + count + c.valueFor(agentId) + c.agentCount()));
      assertEquals(List.of("a112", "b222"), seen);
    }
  }

  @Test
  void aFailedCallDuringTheWalkChangesNothingSoTheWalkGoesOn() {
    try (GCounter c = GCounter.fromJson("{\"a\":1,\"b\":2}")) {
      List<String> seen = new ArrayList<>();
      c.forEach(
          (agentId, count) -> {
            seen.add(agentId);
            assertThrows(GCounterException.class, () -> c.increment(agentId, 0));
          });
      assertEquals(List.of("a", "b"), seen);
    }
  }

  @Test
  void closingTheCounterDuringTheWalkStopsItAsClosed() {
    GCounter c = GCounter.fromJson("{\"a\":1,\"b\":2}");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> c.forEach((agentId, count) -> c.close()));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
    assertTrue(c.isClosed());
  }

  @Test
  void aNullActionIsANullPointerException() {
    try (GCounter c = new GCounter()) {
      assertThrows(NullPointerException.class, () -> c.forEach(null));
    }
  }
}
