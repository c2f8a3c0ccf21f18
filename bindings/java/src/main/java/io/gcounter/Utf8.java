package io.gcounter;

import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 encoding of Java strings for the library's {@code _len} functions.
 *
 * <p>{@link String#getBytes(java.nio.charset.Charset)} silently turns an unpaired surrogate into
 * {@code '?'}, which would make two different Java strings name the same agent. A string with an
 * unpaired surrogate is not Unicode text, so it is refused with the status the library gives to
 * bytes that are not UTF-8 text.
 */
final class Utf8 {
  private Utf8() {}

  /**
   * The UTF-8 bytes of {@code text}.
   *
   * @param what names the text in the error, e.g. "agent id"
   * @param refusal the status of the error for an unpaired surrogate
   * @throws GCounterException with status {@code refusal} if {@code text} has an unpaired surrogate
   */
  static byte[] encode(String text, String what, Status refusal) {
    int unpaired = firstUnpairedSurrogate(text);
    if (unpaired >= 0) {
      throw new GCounterException(
          refusal,
          String.format(
              "%s has an unpaired surrogate U+%04X at index %d; it is not Unicode text",
              what, (int) text.charAt(unpaired), unpaired));
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Entries of {@link #RECENT_AGENT_IDS}: 2^12, a few hundred kilobytes when full. */
  private static final int RECENT_BITS = 12;

  /** Longer ids are encoded at each call (a UUID's 36 characters fit). */
  private static final int RECENT_MAX_BYTES = 64;

  /**
   * The UTF-8 of recently used agent ids, in sets of two entries picked by hash code. An agent
   * increments under the same id again and again, and encoding it (a scan for unpaired
   * surrogates, then {@code getBytes}) is more than a third of an increment's time in Java. Two
   * ids that share a set both stay (the newer first), where one entry per hash would make them
   * push each other out at every call. Shared by all threads without a lock: an entry is
   * immutable, so a thread sees a whole one or an older one, never a torn one.
   */
  private static final AgentId[] RECENT_AGENT_IDS = new AgentId[1 << RECENT_BITS];

  /**
   * An agent id, its UTF-8 bytes (never to be changed: they may be shared), and the same bytes as
   * the calling path passes them ({@link Libgcounter#forCall}), made once with them.
   */
  record AgentId(String text, byte[] utf8, Object forCall) {}

  /**
   * An agent id encoded, from the cache when it holds that id.
   *
   * @throws GCounterException with {@link Status#INVALID_UTF8} if {@code agentId} has an unpaired surrogate
   */
  static AgentId agentId(String agentId) {
    // Fibonacci hashing: ids that differ in their last characters differ in the hash's low bits
    // only a little; the multiplication spreads them over the top bits, which pick the set.
    int set = ((agentId.hashCode() * 0x9E3779B9) >>> (Integer.SIZE - RECENT_BITS)) & ~1;
    AgentId newer = RECENT_AGENT_IDS[set];
    if (newer != null && newer.text.equals(agentId)) {
      return newer;
    }
    AgentId older = RECENT_AGENT_IDS[set + 1];
    if (older != null && older.text.equals(agentId)) {
      return older;
    }
    return encodeAndKeep(agentId, set, newer);
  }

  /** The cache's miss, apart so that the hit above stays small enough to inline. */
  private static AgentId encodeAndKeep(String agentId, int set, AgentId newer) {
    byte[] utf8 = encode(agentId, "agent id", Status.INVALID_UTF8);
    AgentId encoded = new AgentId(agentId, utf8, Libgcounter.LIB.forCall(utf8));
    if (utf8.length <= RECENT_MAX_BYTES) {
      RECENT_AGENT_IDS[set + 1] = newer;
      RECENT_AGENT_IDS[set] = encoded;
    }
    return encoded;
  }

  /** Index of the first surrogate that is not half of a high-low pair, or -1. */
  static int firstUnpairedSurrogate(String text) {
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < length
            && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      }
    }
    return -1;
  }
}
