package io.gcounter;

/**
 * Mirrors the C enum {@code gcounter_status}; {@link #code()} is the ABI value.
 *
 * <p>{@link #OK} never reaches a caller inside a {@link GCounterException}. {@link #UNKNOWN}
 * stands for a code that this version of the binding does not know (a newer library).
 */
public enum Status {
  /** {@code GCOUNTER_OK}: success. */
  OK(0),
  /** {@code GCOUNTER_ERR_NULL_POINTER}: a required pointer was NULL (a binding bug if seen). */
  NULL_POINTER(1),
  /** {@code GCOUNTER_ERR_INVALID_ARGUMENT}: e.g. an increment by 0. */
  INVALID_ARGUMENT(2),
  /** {@code GCOUNTER_ERR_INVALID_UTF8}: an agent id is not valid UTF-8 (or, in Java, has an unpaired surrogate). */
  INVALID_UTF8(3),
  /** {@code GCOUNTER_ERR_OVERFLOW}: a slot or the total would exceed 2^64-1. */
  OVERFLOW(4),
  /** {@code GCOUNTER_ERR_INVALID_JSON}: input is not the wire format. */
  INVALID_JSON(5),
  /** {@code GCOUNTER_ERR_PANIC}: an internal bug caught at the library's boundary. */
  PANIC(6),
  /** A code this binding does not know; {@link GCounterException#code()} holds the raw value. */
  UNKNOWN(-1);

  private static final Status[] BY_CODE = {
    OK, NULL_POINTER, INVALID_ARGUMENT, INVALID_UTF8, OVERFLOW, INVALID_JSON, PANIC
  };

  private final int code;

  Status(int code) {
    this.code = code;
  }

  /** {@return the ABI value of {@code gcounter_status}; -1 for {@link #UNKNOWN}} */
  public int code() {
    return code;
  }

  /**
   * {@return the constant for an ABI value; {@link #UNKNOWN} for a value outside the enum}
   *
   * @param code a {@code gcounter_status} value
   */
  public static Status fromCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
  }
}
