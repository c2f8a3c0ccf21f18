package io.gcounter;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.File;
import java.nio.charset.StandardCharsets;

/**
 * libgcounter through JNA direct mapping ({@link Native#register}): the calling path on Java 17
 * to 21, where java.lang.foreign is not final.
 *
 * <p>Direct mapping is JNA's fastest calling path: no proxy, no reflection per call. To keep it
 * allocation-free, pointers ({@code gcounter_t *}, {@code char *}) and {@code size_t} travel as
 * Java {@code long}, and out-parameters as one-element primitive arrays. That is exact on the
 * 64-bit platforms this binding supports, and {@link #load()} refuses any other.
 */
final class JnaLibgcounter implements Libgcounter {

  private static final NativeLibrary LIBRARY = load();

  static {
    Native.register(JnaLibgcounter.class, LIBRARY);
  }

  static native long gcounter_version();

  static native long gcounter_status_str(int status);

  static native long gcounter_last_error_message();

  static native long gcounter_new();

  static native void gcounter_free(long counter);

  static native long gcounter_clone(long counter);

  static native int gcounter_increment_len(long counter, byte[] agentId, long agentIdLen, long by);

  static native int gcounter_join(long into, long other);

  static native int gcounter_join_json(long into, byte[] json, long jsonLen);

  static native int gcounter_value(long counter, long[] outValue);

  static native int gcounter_value_for_len(
      long counter, byte[] agentId, long agentIdLen, long[] outValue);

  static native long gcounter_agent_count(long counter);

  /** C {@code bool}: only the low byte of the return register is defined, so read a byte. */
  static native byte gcounter_equivalent(long a, long b);

  static native int gcounter_compare(long a, long b, int[] outOrder);

  static native int gcounter_to_json(long counter, long[] outJson, long[] outLen);

  static native void gcounter_string_free(long json);

  static native int gcounter_from_json(byte[] json, long jsonLen, long[] outCounter);

  static native int gcounter_take_delta(long counter, long[] outDelta);

  static native int gcounter_value_exact(long counter, long[] outHigh, long[] outLow);

  static native int gcounter_delta_for(long counter, long peer, long[] outDelta);

  static native int gcounter_slot_at(
      long counter, long index, long[] outAgentId, long[] outAgentIdLen, long[] outCount);

  @Override
  public String nativeAccess() {
    return "JNA";
  }

  @Override
  public String origin() {
    return "file " + LIBRARY.getFile();
  }

  @Override
  public String version() {
    return cString(gcounter_version());
  }

  @Override
  public String statusText(int status) {
    return cString(gcounter_status_str(status));
  }

  @Override
  public String lastErrorMessage() {
    return cString(gcounter_last_error_message());
  }

  @Override
  public long newCounter() {
    return gcounter_new();
  }

  @Override
  public void free(long counter) {
    gcounter_free(counter);
  }

  @Override
  public long cloneCounter(long counter) {
    return gcounter_clone(counter);
  }

  @Override
  public Object forCall(byte[] utf8) {
    return utf8; // JNA copies a byte[] argument for each call
  }

  @Override
  public int incrementLen(long counter, Utf8.AgentId agentId, long by) {
    byte[] utf8 = agentId.utf8();
    return gcounter_increment_len(counter, utf8, utf8.length, by);
  }

  @Override
  public int join(long into, long other) {
    return gcounter_join(into, other);
  }

  @Override
  public int joinJson(long into, byte[] json) {
    return gcounter_join_json(into, json, json.length);
  }

  @Override
  public int value(long counter, long[] outValue) {
    return gcounter_value(counter, outValue);
  }

  @Override
  public int valueExact(long counter, long[] out) {
    long[] high = new long[1];
    long[] low = new long[1];
    int status = gcounter_value_exact(counter, high, low);
    out[0] = high[0];
    out[1] = low[0];
    return status;
  }

  @Override
  public int valueForLen(long counter, Utf8.AgentId agentId, long[] outValue) {
    byte[] utf8 = agentId.utf8();
    return gcounter_value_for_len(counter, utf8, utf8.length, outValue);
  }

  @Override
  public long agentCount(long counter) {
    return gcounter_agent_count(counter);
  }

  @Override
  public boolean equivalent(long a, long b) {
    return gcounter_equivalent(a, b) != 0;
  }

  @Override
  public int compare(long a, long b, int[] outOrder) {
    return gcounter_compare(a, b, outOrder);
  }

  @Override
  public int toJson(long counter, long[] out) {
    long[] json = new long[1];
    long[] length = new long[1];
    int status = gcounter_to_json(counter, json, length);
    out[0] = json[0];
    out[1] = length[0];
    return status;
  }

  @Override
  public void stringFree(long json) {
    gcounter_string_free(json);
  }

  @Override
  public int fromJson(byte[] json, long[] outCounter) {
    return gcounter_from_json(json, json.length, outCounter);
  }

  @Override
  public int takeDelta(long counter, long[] outDelta) {
    return gcounter_take_delta(counter, outDelta);
  }

  @Override
  public int deltaFor(long counter, long peer, long[] outDelta) {
    return gcounter_delta_for(counter, peer, outDelta);
  }

  @Override
  public int slotAt(long counter, long index, long[] out) {
    long[] agentId = new long[1];
    long[] length = new long[1];
    long[] count = new long[1];
    int status = gcounter_slot_at(counter, index, agentId, length, count);
    out[0] = agentId[0];
    out[1] = length[0];
    out[2] = count[0];
    return status;
  }

  @Override
  public byte[] bytes(long address, long length) {
    return new Pointer(address).getByteArray(0, Math.toIntExact(length));
  }

  /** Reads a static or thread-local NUL-terminated UTF-8 string owned by the library. */
  private static String cString(long address) {
    return address == 0 ? "" : new Pointer(address).getString(0, StandardCharsets.UTF_8.name());
  }

  /**
   * Finds libgcounter: the file that {@value Libgcounter#LIBRARY_PATH_PROPERTY} names if set,
   * otherwise JNA's usual search for each of {@link Libgcounter#libraryNames()}: {@code
   * jna.library.path}, then the system's library path, then the classpath, where the jar carries
   * {@code libgcounter.so} at JNA's resource path for its platform, e.g. {@code linux-x86-64/}.
   */
  private static NativeLibrary load() {
    if (Native.POINTER_SIZE != Long.BYTES || Native.SIZE_T_SIZE != Long.BYTES) {
      throw new UnsatisfiedLinkError(
          "libgcounter's Java binding needs a 64-bit JVM (pointers and size_t are passed as long)");
    }
    File override = Libgcounter.overrideFile();
    if (override != null) {
      return NativeLibrary.getInstance(override.getPath());
    }
    UnsatisfiedLinkError failure = null;
    for (String file : Libgcounter.libraryNames()) {
      // JNA maps "gcounter" to its platform's file name, also for the jar's resource path.
      String name = file.equals(Libgcounter.SONAME) ? file : "gcounter";
      try {
        return NativeLibrary.getInstance(name);
      } catch (UnsatisfiedLinkError e) {
        if (failure == null) {
          String jnaPath = System.getProperty("jna.library.path");
          failure =
              new UnsatisfiedLinkError(
                  Libgcounter.notFound(
                      "on the system library path"
                          + (jnaPath == null ? "" : " nor in jna.library.path=" + jnaPath)
                          + " nor in the jar (" + Platform.RESOURCE_PREFIX + "/)"));
        }
        failure.addSuppressed(e);
      }
    }
    throw failure;
  }
}
