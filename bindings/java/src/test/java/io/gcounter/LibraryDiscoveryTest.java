package io.gcounter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a fresh JVM finds libgcounter, and how it calls it: the library is loaded once per JVM, so
 * each case starts a child JVM running {@link Probe} with its own system properties, calling the
 * library as this JVM does (the suite runs once through JNA, once through java.lang.foreign).
 */
class LibraryDiscoveryTest {
  /** The directory the build points jna.library.path at (the repository's target/release). */
  private static final File BUILD_DIR = new File(System.getProperty("jna.library.path"));

  private static final File LIBRARY = new File(BUILD_DIR, System.mapLibraryName("gcounter"));

  private static final boolean FFM = GCounter.nativeAccess().equals("java.lang.foreign");

  @Test
  void theSuiteCallsTheLibraryTheWayItWasAskedTo() {
    String asked = System.getProperty(Libgcounter.NATIVE_PROPERTY, "");
    String expected =
        asked.equals("ffm") || (asked.isEmpty() && Runtime.version().feature() >= 22)
            ? "java.lang.foreign"
            : "JNA";
    assertEquals(expected, GCounter.nativeAccess(), "-Dgcounter.native=" + asked);
  }

  @Test
  void gcounterLibraryPathNamingTheFileLoadsIt() throws Exception {
    Result result = probe("-Dgcounter.library.path=" + LIBRARY.getAbsolutePath());
    assertEquals(0, result.exitCode, result.output);
    assertTrue(
        result.output.startsWith("ok " + GCounter.libraryVersion() + " {\"probe\":2}\n"), result.output);
    assertTrue(result.output.contains(LIBRARY.getAbsolutePath()), result.output);
  }

  @Test
  void gcounterLibraryPathNamingTheDirectoryLoadsTheLibraryInIt() throws Exception {
    Result result = probe("-Dgcounter.library.path=" + BUILD_DIR.getAbsolutePath());
    assertEquals(0, result.exitCode, result.output);
    assertTrue(result.output.startsWith("ok "), result.output);
  }

  @Test
  void aDirectoryWithOnlyTheSonameIsEnough(@TempDir Path runtimeOnly) throws Exception {
    Files.createSymbolicLink(runtimeOnly.resolve("libgcounter.so.0"), LIBRARY.toPath().toAbsolutePath());
    Result byDirectory = probe("-Dgcounter.library.path=" + runtimeOnly);
    assertEquals(0, byDirectory.exitCode, byDirectory.output);
    assertTrue(byDirectory.output.contains(runtimeOnly + "/libgcounter.so.0"), byDirectory.output);
    Result bySearchPath = probe("-Djna.library.path=" + runtimeOnly);
    assertEquals(0, bySearchPath.exitCode, bySearchPath.output);
  }

  @Test
  void jnaLibraryPathIsSearched() throws Exception {
    Result result = probe("-Djna.library.path=" + BUILD_DIR.getAbsolutePath());
    assertEquals(0, result.exitCode, result.output);
    assertTrue(result.output.startsWith("ok "), result.output);
  }

  @Test
  void withNothingSetTheLibraryComesFromTheClasspathAsFromTheJar() throws Exception {
    // The build copies target/release/libgcounter.so to JNA's resource path in target/classes,
    // as into the jar. An installed libgcounter.so.0 would come first: both search it before.
    String resource = "linux-x86-64/" + System.mapLibraryName("gcounter");
    Result result = probe("-Djna.debug_load=true");
    assertEquals(0, result.exitCode, result.output);
    if (result.output.contains("from system library path")) {
      return;
    }
    if (FFM) {
      assertTrue(result.output.contains("from resource file:"), result.output);
      assertTrue(result.output.contains(resource + " (copied to "), result.output);
    } else if (!result.output.contains("Found library 'libgcounter.so.0'")) {
      assertTrue(result.output.contains("Found library resource at "), result.output);
      assertTrue(result.output.contains(resource), result.output);
    }
  }

  @Test
  void theForeignFunctionPathNeedsNoJna() throws Exception {
    if (!FFM) {
      return; // JNA is how Java 17 calls the library
    }
    String withoutJna =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> !new File(entry).getName().startsWith("jna-"))
            .collect(Collectors.joining(File.pathSeparator));
    Result result = probeWithClasspath(withoutJna, "-Djna.library.path=" + BUILD_DIR.getAbsolutePath());
    assertEquals(0, result.exitCode, result.output);
    assertTrue(result.output.contains("via java.lang.foreign"), result.output);
  }

  @Test
  void aChoiceThatCannotLoadIsAnUnsatisfiedLinkErrorThatSaysWhy() throws Exception {
    Result unknown = probe("-Dgcounter.native=jni");
    assertEquals(3, unknown.exitCode, unknown.output);
    assertTrue(unknown.output.contains("-Dgcounter.native=jni: want ffm or jna"), unknown.output);
    if (Runtime.version().feature() < Libgcounter.FFM_RELEASE) {
      Result tooOld = probe("-Dgcounter.native=ffm");
      assertEquals(3, tooOld.exitCode, tooOld.output);
      assertTrue(tooOld.output.contains("needs Java 22 or later"), tooOld.output);
    }
  }

  @Test
  void aWrongOverrideIsAnUnsatisfiedLinkErrorThatSaysWhere() throws Exception {
    File nowhere = new File(BUILD_DIR, "no-such-dir");
    Result result = probe("-Dgcounter.library.path=" + nowhere.getAbsolutePath());
    assertEquals(3, result.exitCode, result.output);
    assertTrue(result.output.contains("UnsatisfiedLinkError"), result.output);
    assertTrue(result.output.contains("gcounter.library.path=" + nowhere), result.output);
  }

  private static Result probe(String... jvmOptions) throws IOException, InterruptedException {
    return probeWithClasspath(System.getProperty("java.class.path"), jvmOptions);
  }

  /**
   * Runs {@link Probe} in a new JVM of this one's java, with its native access options and its
   * choice of calling path (later options win), the given classpath and the given options.
   */
  private static Result probeWithClasspath(String classpath, String... jvmOptions)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (option.startsWith("--enable-native-access")) {
        command.add(option); // as this JVM runs: Java 22+ warns about native access otherwise
      }
    }
    command.add("-D" + Libgcounter.NATIVE_PROPERTY + "=" + System.getProperty(Libgcounter.NATIVE_PROPERTY, ""));
    command.addAll(List.of(jvmOptions));
    command.add("-cp");
    command.add(classpath);
    command.add(Probe.class.getName());
    File stderr = File.createTempFile("gcounter-probe", ".err");
    try {
      Process process = new ProcessBuilder(command).redirectError(stderr).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
      }
      String errors = Files.readString(stderr.toPath());
      return new Result(process.exitValue(), errors.isEmpty() ? output : output + "\nstderr: " + errors);
    } finally {
      Files.delete(stderr.toPath());
    }
  }

  private record Result(int exitCode, String output) {}

  /**
   * Child JVM: loads the library, uses it, prints "ok VERSION JSON" and "from ORIGIN via ACCESS";
   * exit 3 if it cannot load.
   */
  public static final class Probe {
    public static void main(String[] args) {
      try (GCounter counter = new GCounter()) {
        counter.increment("probe", 2);
        System.out.println("ok " + GCounter.libraryVersion() + " " + counter.toJson());
        System.out.println("from " + Libgcounter.LIB.origin() + " via " + GCounter.nativeAccess());
      } catch (UnsatisfiedLinkError e) {
        System.out.println(e);
        System.exit(3);
      }
    }
  }
}
