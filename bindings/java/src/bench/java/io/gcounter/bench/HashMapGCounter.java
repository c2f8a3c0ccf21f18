package io.gcounter.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.HashMap;
import java.util.Map;

/**
 * The baseline: a G-Counter as a Java programmer would write it without libgcounter, over a
 * {@code HashMap<String, Long>}, with Jackson for the wire format (keys sorted, as the canonical
 * form requires). It checks less than the library (no u64 range, no duplicate keys).
 */
final class HashMapGCounter {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  private static final TypeReference<HashMap<String, Long>> SLOTS = new TypeReference<>() {};

  private final HashMap<String, Long> slots;

  HashMapGCounter() {
    this(new HashMap<>());
  }

  private HashMapGCounter(HashMap<String, Long> slots) {
    this.slots = slots;
  }

  void increment(String agentId, long by) {
    if (by <= 0) {
      throw new IllegalArgumentException("increment must be at least 1, got " + by);
    }
    slots.merge(agentId, by, Math::addExact);
  }

  void join(HashMapGCounter other) {
    for (Map.Entry<String, Long> slot : other.slots.entrySet()) {
      slots.merge(slot.getKey(), slot.getValue(), Math::max);
    }
  }

  long value() {
    long total = 0;
    for (long count : slots.values()) {
      total = Math.addExact(total, count);
    }
    return total;
  }

  HashMapGCounter copy() {
    return new HashMapGCounter(new HashMap<>(slots));
  }

  String toJson() {
    try {
      return JSON.writeValueAsString(slots);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static HashMapGCounter fromJson(String json) {
    try {
      return new HashMapGCounter(JSON.readValue(json, SLOTS));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
