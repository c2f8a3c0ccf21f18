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
