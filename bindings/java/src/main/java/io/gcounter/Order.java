package io.gcounter;

/**
 * How two counters relate in the lattice's partial order; mirrors the C enum {@code gcounter_order}.
 *
 * <p>{@code a.compare(b)} is {@link #LESS} when {@code a <= b} in every slot and {@code <} in at
 * least one: a replica that is {@code LESS} than its peer has nothing to send it.
 */
public enum Order {
  /** Same count in every slot. */
  EQUAL(0),
  /** {@code a <= b} in every slot, {@code <} in at least one. */
  LESS(1),
  /** {@code a >= b} in every slot, {@code >} in at least one. */
  GREATER(2),
  /** Neither: each has increments that the other lacks. */
  CONCURRENT(3);

  private static final Order[] BY_CODE = values();

  private final int code;

  Order(int code) {
    this.code = code;
  }

  /** {@return the ABI value of {@code gcounter_order}} */
  public int code() {
    return code;
  }

  /**
   * The constant for an ABI value.
   *
   * @param code a {@code gcounter_order} value
   * @return its constant
   * @throws IllegalArgumentException for a value outside {@code gcounter_order}
   */
  public static Order fromCode(int code) {
    if (code < 0 || code >= BY_CODE.length) {
      throw new IllegalArgumentException("not a gcounter_order value: " + code);
    }
    return BY_CODE[code];
  }
}
