package io.gcounter;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * A libgcounter call failed: carries the {@link Status} and the library's message.
 *
 * <p>The message text is {@code "<status text>: <detail>"}, where the status text is
 * {@code gcounter_status_str} and the detail is {@code gcounter_last_error_message} read on the
 * same OS thread straight after the failing call. On a virtual thread (Java 21+) that read
 * cannot be tied to the failing call's carrier thread, so there the detail is left empty and the
 * error rests on the status alone, which is always the whole truth of what happened.
 */
public final class GCounterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** {@code Thread::isVirtual} where the running JDK has it (21+); null on Java 17-20. */
  private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

  /** Which failure, from {@link #code}. */
  private final Status status;

  /** The raw {@code gcounter_status} value. */
  private final int code;

  /** The library's message; may be empty. */
  private final String detail;

  GCounterException(int code, String detail) {
    super(describe(code, detail));
    this.status = Status.fromCode(code);
    this.code = code;
    this.detail = detail;
  }

  GCounterException(Status status, String detail) {
    this(status.code(), detail);
  }

  /**
   * The error for a call that just returned {@code code} on this thread. Must be called before any
   * other libgcounter call on this thread, which would replace the thread-local message.
   */
  static GCounterException afterFailedCall(int code) {
    String detail =
        onVirtualThread() ? "" : Libgcounter.LIB.lastErrorMessage();
    return new GCounterException(code, detail);
  }

  /**
   * {@return which failure: never {@link Status#OK}; {@link Status#UNKNOWN} for a code this
   * binding does not know}
   */
  public Status status() {
    return status;
  }

  /** {@return the raw {@code gcounter_status} value} */
  public int code() {
    return code;
  }

  /**
   * {@return the library's message about this failure (e.g. where the JSON is wrong); may be
   * empty}
   */
  public String detail() {
    return detail;
  }

  /** True when the calling thread is a virtual thread, whose carrier may change between calls. */
  static boolean onVirtualThread() {
    if (IS_VIRTUAL == null) {
      return false;
    }
    try {
      return (boolean) IS_VIRTUAL.invokeExact(Thread.currentThread());
    } catch (Throwable e) {
      throw new AssertionError("Thread::isVirtual cannot fail", e);
    }
  }

  private static String describe(int code, String detail) {
    String text = Libgcounter.LIB.statusText(code);
    return detail.isEmpty() ? text : text + ": " + detail;
  }

  private static MethodHandle isVirtualHandle() {
    try {
      return MethodHandles.publicLookup()
          .findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null;
    }
  }
}
