package io.gcounter;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.util.List;

/**
 * libgcounter's C functions as {@link GCounter} calls them, whatever carries the call: {@link
 * JnaLibgcounter} on Java 17 to 21, {@code FfmLibgcounter} (java.lang.foreign, in the jar's
 * {@code META-INF/versions/22/}) on Java 22 and later. {@link #LIB} is the one in use.
 *
 * <p>Each method is one C function, or the read of memory the library returned: no locks, no
 * status checks; {@link GCounter} owns those rules. Handles, pointers and {@code size_t} are
 * Java {@code long} (this binding runs only on 64-bit JVMs); out-parameters are written to the
 * given arrays, only when the call returns {@code GCOUNTER_OK}. Byte arrays given are only read.
 */
interface Libgcounter {
  /** System property naming the library file, or the directory that holds it. */
  String LIBRARY_PATH_PROPERTY = "gcounter.library.path";

  /** System property choosing how the library is called: {@code ffm} or {@code jna}. */
  String NATIVE_PROPERTY = "gcounter.native";

  /** The ELF soname: {@code libgcounter.so.<ABI major version>}. */
  String SONAME = "libgcounter.so.0";

  /** The first Java release whose java.lang.foreign is final (JEP 454). */
  int FFM_RELEASE = 22;

  /** The implementation in use, chosen when the class is first used. */
  Libgcounter LIB = load();

  /** {@return how the library is called: "java.lang.foreign" or "JNA"} */
  String nativeAccess();

  /** {@return where the library was loaded from, for messages and tests} */
  String origin();

  String version();

  String statusText(int status);

  String lastErrorMessage();

  long newCounter();

  void free(long counter);

  long cloneCounter(long counter);

  /**
   * {@return {@code utf8} as this calling path passes bytes to the library, made once per agent id
   * and kept with it (read only, shared by all threads)}
   */
  Object forCall(byte[] utf8);

  int incrementLen(long counter, Utf8.AgentId agentId, long by);

  int join(long into, long other);

  int joinJson(long into, byte[] json);

  int value(long counter, long[] outValue);

  /** {@code out[0]} the high word, {@code out[1]} the low one. */
  int valueExact(long counter, long[] out);

  int valueForLen(long counter, Utf8.AgentId agentId, long[] outValue);

  long agentCount(long counter);

  boolean equivalent(long a, long b);

  int compare(long a, long b, int[] outOrder);

  /** {@code out[0]} the string (free it with {@link #stringFree}), {@code out[1]} its length. */
  int toJson(long counter, long[] out);

  void stringFree(long json);

  int fromJson(byte[] json, long[] outCounter);

  int takeDelta(long counter, long[] outDelta);

  int deltaFor(long counter, long peer, long[] outDelta);

  /** {@code out[0]} the borrowed id bytes, {@code out[1]} their length, {@code out[2]} the count. */
  int slotAt(long counter, long index, long[] out);

  /** {@return a copy of {@code length} bytes of library memory at {@code address}} */
  byte[] bytes(long address, long length);

  /**
   * java.lang.foreign from Java 22 on, JNA before; {@value #NATIVE_PROPERTY} may choose either
   * where it runs. No silent fallback: a choice that cannot load is an error that says why.
   */
  private static Libgcounter load() {
    String chosen = System.getProperty(NATIVE_PROPERTY, "");
    int release = Runtime.version().feature();
    switch (chosen) {
      case "":
        return release >= FFM_RELEASE ? foreignFunctions() : jna(release);
      case "jna":
        return jna(release);
      case "ffm":
        if (release < FFM_RELEASE) {
          throw new UnsatisfiedLinkError(
              "-D" + NATIVE_PROPERTY + "=ffm needs Java " + FFM_RELEASE + " or later; this is Java " + release);
        }
        return foreignFunctions();
      default:
        throw new UnsatisfiedLinkError("-D" + NATIVE_PROPERTY + "=" + chosen + ": want ffm or jna");
    }
  }

  /** The JNA implementation, or an error that names the missing jar when JNA is not there. */
  private static Libgcounter jna(int release) {
    try {
      return new JnaLibgcounter();
    } catch (NoClassDefFoundError e) {
      if (e.getMessage() == null || !e.getMessage().startsWith("com/sun/jna/")) {
        throw e;
      }
      UnsatisfiedLinkError error =
          new UnsatisfiedLinkError(
              "gcounter calls the library through JNA on Java " + release + ", and JNA is not on"
                  + " the classpath: add net.java.dev.jna:jna (Maven brings it with"
                  + " io.gcounter:gcounter), or run on Java " + FFM_RELEASE + " or later");
      error.initCause(e);
      throw error;
    }
  }

  /** By name, so that Java 17 never reads the class, which exists only for Java 22+. */
  private static Libgcounter foreignFunctions() {
    try {
      return (Libgcounter)
          Class.forName("io.gcounter.FfmLibgcounter").getDeclaredConstructor().newInstance();
    } catch (ClassNotFoundException e) {
      UnsatisfiedLinkError error =
          new UnsatisfiedLinkError(
              "this gcounter jar has no java.lang.foreign implementation (META-INF/versions/"
                  + FFM_RELEASE + "/io/gcounter/FfmLibgcounter.class): use the released jar, or run"
                  + " with -D" + NATIVE_PROPERTY + "=jna");
      error.initCause(e);
      throw error;
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Error) {
        throw (Error) e.getCause(); // the library was not found, or native access is denied
      }
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The library file that {@value #LIBRARY_PATH_PROPERTY} names, or null when it is not set: the
   * file itself, or in a directory the soname, else {@code libgcounter.so}.
   */
  static File overrideFile() {
    String override = System.getProperty(LIBRARY_PATH_PROPERTY, "");
    if (override.isEmpty()) {
      return null;
    }
    File file = new File(override);
    if (file.isDirectory()) {
      File soname = new File(file, SONAME);
      file = usesSoname() && soname.isFile() ? soname : new File(file, System.mapLibraryName("gcounter"));
    }
    if (!file.isFile()) {
      throw new UnsatisfiedLinkError(
          LIBRARY_PATH_PROPERTY + "=" + override + " names no library file (looked for " + file + ")");
    }
    return file.getAbsoluteFile();
  }

  /**
   * The names to look for, best first: the soname is what an installed runtime package provides,
   * and it pins the ABI's major version, where {@code libgcounter.so} is the development link that
   * may point at another one.
   */
  static List<String> libraryNames() {
    String plain = System.mapLibraryName("gcounter");
    return usesSoname() ? List.of(SONAME, plain) : List.of(plain);
  }

  /** ELF systems name shared libraries by soname; macOS and Windows do not. */
  static boolean usesSoname() {
    String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
    return !os.startsWith("mac") && !os.startsWith("windows");
  }

  /** The message when no library was found, naming {@code where} it was looked for. */
  static String notFound(String where) {
    return "libgcounter not found " + where + "; build it (make lib), install it, or set -D"
        + LIBRARY_PATH_PROPERTY + "=<file or directory>";
  }
}
