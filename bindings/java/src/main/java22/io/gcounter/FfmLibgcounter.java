package io.gcounter;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * libgcounter through java.lang.foreign (Java 22 and later): a downcall handle per C function,
 * each in a static final field so that the JIT compiles a call down to a direct native call.
 *
 * <p>Handles ({@code gcounter_t *}) and {@code size_t} are Java {@code long}, as {@link
 * Libgcounter} carries them: every 64-bit C ABI passes a pointer and a 64-bit integer alike, and
 * {@link FfmLibrary#lookup()} refuses any other. Byte strings and out-parameters are memory
 * segments:
 *
 * <ul>
 *   <li>Calls that return at once whatever the counter holds (no walk over the slots) are
 *       {@linkplain Linker.Option#critical critical}: no thread-state transition, and Java arrays
 *       passed in place for ids and out-parameters, so no copy and no native buffer. An agent
 *       id's array comes wrapped in its heap segment ({@link #forCall}), made once per id, so an
 *       increment makes no object at all. The library only reads the ids and writes the
 *       out-parameters, and calls nothing back.
 *   <li>Every other call reads its out-parameters from the calling thread's {@link #SCRATCH},
 *       and copies JSON text into a confined arena freed on return: the collector may run
 *       while it works.
 * </ul>
 */
@SuppressWarnings("restricted") // calling native code is what this class is for
final class FfmLibgcounter implements Libgcounter {
  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBRARY = FfmLibrary.lookup();

  /** {@code gcounter_t *}, as its address. */
  private static final ValueLayout HANDLE = JAVA_LONG;
  private static final ValueLayout SIZE_T = JAVA_LONG;
  private static final ValueLayout U64 = JAVA_LONG;
  /** {@code gcounter_status}: a 32-bit enum. */
  private static final ValueLayout STATUS = JAVA_INT;

  private static final Linker.Option[] FAST = {Linker.Option.critical(false)};
  private static final Linker.Option[] FAST_WITH_ARRAYS = {Linker.Option.critical(true)};
  private static final Linker.Option[] NORMAL = {};

  private static final MethodHandle VERSION = downcall("gcounter_version", FAST, ADDRESS);
  private static final MethodHandle STATUS_STR = downcall("gcounter_status_str", FAST, ADDRESS, STATUS);
  private static final MethodHandle LAST_ERROR_MESSAGE =
      downcall("gcounter_last_error_message", FAST, ADDRESS);
  private static final MethodHandle NEW = downcall("gcounter_new", NORMAL, HANDLE);
  private static final MethodHandle FREE = downcallVoid("gcounter_free", NORMAL, HANDLE);
  private static final MethodHandle CLONE = downcall("gcounter_clone", NORMAL, HANDLE, HANDLE);
  /**
   * Critical although not constant-time: adding an agent may grow the counter's table, which takes
   * milliseconds at a million agents (about 30 ms at 1.5 million) and holds the JVM's safepoints
   * that long, once per doubling. Every other increment takes about as long as an empty call, and
   * being critical saves the thread-state transition and the copy of the id: a third of the call.
   */
  private static final MethodHandle INCREMENT_LEN =
      downcall("gcounter_increment_len", FAST_WITH_ARRAYS, STATUS, HANDLE, ADDRESS, SIZE_T, U64);
  private static final MethodHandle JOIN = downcall("gcounter_join", NORMAL, STATUS, HANDLE, HANDLE);
  private static final MethodHandle JOIN_JSON =
      downcall("gcounter_join_json", NORMAL, STATUS, HANDLE, ADDRESS, SIZE_T);
  private static final MethodHandle VALUE =
      downcall("gcounter_value", FAST_WITH_ARRAYS, STATUS, HANDLE, ADDRESS);
  private static final MethodHandle VALUE_EXACT =
      downcall("gcounter_value_exact", FAST_WITH_ARRAYS, STATUS, HANDLE, ADDRESS, ADDRESS);
  private static final MethodHandle VALUE_FOR_LEN =
      downcall("gcounter_value_for_len", FAST_WITH_ARRAYS, STATUS, HANDLE, ADDRESS, SIZE_T, ADDRESS);
  private static final MethodHandle AGENT_COUNT = downcall("gcounter_agent_count", FAST, SIZE_T, HANDLE);
  private static final MethodHandle EQUIVALENT =
      downcall("gcounter_equivalent", NORMAL, JAVA_BOOLEAN, HANDLE, HANDLE);
  private static final MethodHandle COMPARE =
      downcall("gcounter_compare", NORMAL, STATUS, HANDLE, HANDLE, ADDRESS);
  private static final MethodHandle TO_JSON =
      downcall("gcounter_to_json", NORMAL, STATUS, HANDLE, ADDRESS, ADDRESS);
  private static final MethodHandle STRING_FREE = downcallVoid("gcounter_string_free", NORMAL, ADDRESS);
  private static final MethodHandle FROM_JSON =
      downcall("gcounter_from_json", NORMAL, STATUS, ADDRESS, SIZE_T, ADDRESS);
  private static final MethodHandle TAKE_DELTA =
      downcall("gcounter_take_delta", NORMAL, STATUS, HANDLE, ADDRESS);
  private static final MethodHandle DELTA_FOR =
      downcall("gcounter_delta_for", NORMAL, STATUS, HANDLE, HANDLE, ADDRESS);
  /** Not critical: the first walk of a changed counter may sort its ids. */
  private static final MethodHandle SLOT_AT =
      downcall("gcounter_slot_at", NORMAL, STATUS, HANDLE, SIZE_T, ADDRESS, ADDRESS, ADDRESS);

  /** The most out-parameters of one function (slot_at's three), one word each. */
  private static final long OUT_WORDS = 3;

  /**
   * Each thread's native memory for the out-parameters of calls that are not critical. A method
   * uses it only from its start to its return, and the library calls nothing back, so no two
   * uses on one thread overlap. Freed by the collector with its thread (an automatic arena).
   */
  private static final ThreadLocal<MemorySegment> SCRATCH =
      ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(OUT_WORDS * Long.BYTES, Long.BYTES));

  FfmLibgcounter() {}

  @Override
  public String nativeAccess() {
    return "java.lang.foreign";
  }

  @Override
  public String origin() {
    return FfmLibrary.where();
  }

  @Override
  public String version() {
    try {
      return cString((MemorySegment) VERSION.invokeExact());
    } catch (Throwable e) {
      throw unexpected(e);
    }
  }

  @Override
  public String statusText(int status) {
    try {
      return cString((MemorySegment) STATUS_STR.invokeExact(status));
    } catch (Throwable e) {
      throw unexpected(e);
    }
  }

  @Override
  public String lastErrorMessage() {
    try {
      return cString((MemorySegment) LAST_ERROR_MESSAGE.invokeExact());
    } catch (Throwable e) {
      throw unexpected(e);
    }
  }

  @Override
  public long newCounter() {
    try {
      return (long) NEW.invokeExact();
    } catch (Throwable e) {
      throw unexpected(e);
    }
  }

  @Override
  public void free(long counter) {
    try {
      FREE.invokeExact(counter);
    } catch (Throwable e) {
      throw unexpected(e);
    }
  }

  @Override
  public long cloneCounter(long counter) {
    try {
      return (long) CLONE.invokeExact(counter);
    } catch (Throwable e) {
      throw unexpected(e);
    }
  }

  @Override
  public Object forCall(byte[] utf8) {
    return MemorySegment.ofArray(utf8);
  }

  @Override
  public int incrementLen(long counter, Utf8.AgentId agentId, long by) {
    MemorySegment id = (MemorySegment) agentId.forCall();
    try {
      return (int) INCREMENT_LEN.invokeExact(counter, id, id.byteSize(), by);
    } catch (Throwable e) {
      throw unexpected(e);
    }
  }

  @Override
  public int join(long into, long other) {
    try {
      return (int) JOIN.invokeExact(into, other);
    } catch (Throwable e) {
      throw unexpected(e);
    }
  }

  @Override
  public int joinJson(long into, byte[] json) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment text = arena.allocateFrom(JAVA_BYTE, json);
      return (int) JOIN_JSON.invokeExact(into, text, (long) json.length);
    } catch (Throwable e) {
      throw unexpected(e);
    }
  }

  @Override
  public int value(long counter, long[] outValue) {
    try {
      return (int) VALUE.invokeExact(counter, MemorySegment.ofArray(outValue));
    } catch (Throwable e) {
      throw unexpected(e);
    }
  }

  @Override
  public int valueExact(long counter, long[] out) {
    try {
      return (int) VALUE_EXACT.invokeExact(
          counter, MemorySegment.ofArray(out), MemorySegment.ofArray(out).asSlice(Long.BYTES));
    } catch (Throwable e) {
      throw unexpected(e);
    }
  }

  @Override
  public int valueForLen(long counter, Utf8.AgentId agentId, long[] outValue) {
    MemorySegment id = (MemorySegment) agentId.forCall();
    try {
      return (int) VALUE_FOR_LEN.invokeExact(counter, id, id.byteSize(), MemorySegment.ofArray(outValue));
    } catch (Throwable e) {
      throw unexpected(e);
    }
  }

  @Override
  public long agentCount(long counter) {
    try {
      return (long) AGENT_COUNT.invokeExact(counter);
    } catch (Throwable e) {
      throw unexpected(e);
    }
  }

  @Override
  public boolean equivalent(long a, long b) {
    try {
      return (boolean) EQUIVALENT.invokeExact(a, b);
    } catch (Throwable e) {
      throw unexpected(e);
    }
  }

  @Override
  public int compare(long a, long b, int[] outOrder) {
    MemorySegment scratch = scratch();
    try {
      int status = (int) COMPARE.invokeExact(a, b, scratch);
      outOrder[0] = scratch.get(JAVA_INT, 0);
      return status;
    } catch (Throwable e) {
      throw unexpected(e);
    }
  }

  @Override
  public int toJson(long counter, long[] out) {
    MemorySegment scratch = scratch();
    try {
      int status = (int) TO_JSON.invokeExact(counter, scratch, scratch.asSlice(Long.BYTES));
      out[0] = scratch.get(JAVA_LONG, 0);
      out[1] = scratch.get(JAVA_LONG, Long.BYTES);
      return status;
    } catch (Throwable e) {
      throw unexpected(e);
    }
  }

  @Override
  public void stringFree(long json) {
    try {
      STRING_FREE.invokeExact(MemorySegment.ofAddress(json));
    } catch (Throwable e) {
      throw unexpected(e);
    }
  }

  @Override
  public int fromJson(byte[] json, long[] outCounter) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment text = arena.allocateFrom(JAVA_BYTE, json);
      MemorySegment out = arena.allocate(HANDLE);
      int status = (int) FROM_JSON.invokeExact(text, (long) json.length, out);
      outCounter[0] = out.get(JAVA_LONG, 0);
      return status;
    } catch (Throwable e) {
      throw unexpected(e);
    }
  }

  @Override
  public int takeDelta(long counter, long[] outDelta) {
    MemorySegment scratch = scratch();
    try {
      int status = (int) TAKE_DELTA.invokeExact(counter, scratch);
      outDelta[0] = scratch.get(JAVA_LONG, 0);
      return status;
    } catch (Throwable e) {
      throw unexpected(e);
    }
  }

  @Override
  public int deltaFor(long counter, long peer, long[] outDelta) {
    MemorySegment scratch = scratch();
    try {
      int status = (int) DELTA_FOR.invokeExact(counter, peer, scratch);
      outDelta[0] = scratch.get(JAVA_LONG, 0);
      return status;
    } catch (Throwable e) {
      throw unexpected(e);
    }
  }

  @Override
  public int slotAt(long counter, long index, long[] out) {
    MemorySegment scratch = scratch();
    try {
      int status = (int) SLOT_AT.invokeExact(
          counter, index, scratch, scratch.asSlice(Long.BYTES), scratch.asSlice(2 * Long.BYTES));
      out[0] = scratch.get(JAVA_LONG, 0);
      out[1] = scratch.get(JAVA_LONG, Long.BYTES);
      out[2] = scratch.get(JAVA_LONG, 2 * Long.BYTES);
      return status;
    } catch (Throwable e) {
      throw unexpected(e);
    }
  }

  @Override
  public byte[] bytes(long address, long length) {
    return MemorySegment.ofAddress(address).reinterpret(length).toArray(JAVA_BYTE);
  }

  /** This thread's memory for out-parameters: {@link #OUT_WORDS} words. */
  private static MemorySegment scratch() {
    return SCRATCH.get();
  }

  /** A static or thread-local NUL-terminated UTF-8 string owned by the library. */
  private static String cString(MemorySegment address) {
    return address.equals(MemorySegment.NULL) ? "" : address.reinterpret(Long.MAX_VALUE).getString(0);
  }

  private static MethodHandle downcall(
      String name, Linker.Option[] options, MemoryLayout result, MemoryLayout... parameters) {
    return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(result, parameters), options);
  }

  private static MethodHandle downcallVoid(String name, Linker.Option[] options, MemoryLayout... parameters) {
    return LINKER.downcallHandle(symbol(name), FunctionDescriptor.ofVoid(parameters), options);
  }

  private static MemorySegment symbol(String name) {
    return LIBRARY
        .find(name)
        .orElseThrow(() -> new UnsatisfiedLinkError("libgcounter has no " + name + ": is it older than this binding?"));
  }

  /** A downcall handle throws only what the Java side of the call throws: nothing here. */
  private static AssertionError unexpected(Throwable e) {
    if (e instanceof Error error) {
      throw error;
    }
    if (e instanceof RuntimeException runtime) {
      throw runtime;
    }
    return new AssertionError("a downcall threw a checked exception", e);
  }
}
