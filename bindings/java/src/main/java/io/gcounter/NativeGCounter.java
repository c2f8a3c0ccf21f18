package io.gcounter;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The C boundary: libgcounter's functions, bound with JNA direct mapping ({@link Native#register}).
 *
 * <p>Direct mapping is JNA's fastest calling path: no proxy, no reflection per call. To keep it
 * allocation-free, pointers ({@code gcounter_t *}, {@code char *}) and {@code size_t} travel as
 * Java {@code long}, and out-parameters as one-element primitive arrays. That is exact on the
 * 64-bit platforms this binding supports, and {@link #load()} refuses any other.
 *
 * <p>Nothing here locks or checks: {@link GCounter} owns the rules (one lock per handle, status
 * checks, reading the thread-local error message straight after a failing call).
 */
final class NativeGCounter {

  /** System property naming the library file, or the directory that holds it. */
  static final String LIBRARY_PATH_PROPERTY = "gcounter.library.path";

  private static final String LIBRARY_NAME = "gcounter";

  /** The ELF soname: {@code libgcounter.so.<ABI major version>}. */
  private static final String SONAME = "libgcounter.so.0";

  static {
    Native.register(NativeGCounter.class, load());
  }

  private NativeGCounter() {}

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

  /** Reads a static or thread-local NUL-terminated UTF-8 string owned by the library. */
  static String cString(long address) {
    return address == 0 ? "" : new Pointer(address).getString(0, StandardCharsets.UTF_8.name());
  }

  /**
   * Finds libgcounter: the file or directory named by {@value #LIBRARY_PATH_PROPERTY} if set,
   * otherwise JNA's usual search ({@code jna.library.path}, then the system's library path, then
   * the classpath, where the jar carries {@code libgcounter.so} at JNA's resource path for its
   * platform, e.g. {@code linux-x86-64/}). By name, the soname {@value #SONAME} comes first: it is
   * what an installed runtime package provides, and it pins the ABI's major version, where {@code
   * libgcounter.so} is the development link that may point at another one.
   */
  private static NativeLibrary load() {
    if (Native.POINTER_SIZE != Long.BYTES || Native.SIZE_T_SIZE != Long.BYTES) {
      throw new UnsatisfiedLinkError(
          "libgcounter's Java binding needs a 64-bit JVM (pointers and size_t are passed as long)");
    }
    String override = System.getProperty(LIBRARY_PATH_PROPERTY, "");
    if (override.isEmpty()) {
      return loadByName();
    }
    File file = new File(override);
    if (file.isDirectory()) {
      File soname = new File(file, SONAME);
      file = usesSoname() && soname.isFile() ? soname : new File(file, System.mapLibraryName(LIBRARY_NAME));
    }
    if (!file.isFile()) {
      throw new UnsatisfiedLinkError(
          LIBRARY_PATH_PROPERTY + "=" + override + " names no library file (looked for " + file + ")");
    }
    return NativeLibrary.getInstance(file.getAbsolutePath());
  }

  private static NativeLibrary loadByName() {
    UnsatisfiedLinkError failure = null;
    for (String name : usesSoname() ? List.of(SONAME, LIBRARY_NAME) : List.of(LIBRARY_NAME)) {
      try {
        return NativeLibrary.getInstance(name);
      } catch (UnsatisfiedLinkError e) {
        if (failure == null) {
          String jnaPath = System.getProperty("jna.library.path");
          failure =
              new UnsatisfiedLinkError(
                  "libgcounter not found on the system library path"
                      + (jnaPath == null ? "" : " nor in jna.library.path=" + jnaPath)
                      + " nor in the jar ("
                      + Platform.RESOURCE_PREFIX
                      + "/); build it (make lib), install it, or set -D"
                      + LIBRARY_PATH_PROPERTY
                      + "=<file or directory>");
        }
        failure.addSuppressed(e);
      }
    }
    throw failure;
  }

  /** ELF systems name shared libraries by soname; macOS and Windows do not. */
  private static boolean usesSoname() {
    return !Platform.isMac() && !Platform.isWindows();
  }
}
