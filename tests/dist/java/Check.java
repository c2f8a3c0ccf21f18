import io.gcounter.GCounter;
import io.gcounter.GCounterException;
import io.gcounter.Status;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Collectors;

/**
 * Checks gcounter's jar from outside the repository (see run.sh), in one of two ways:
 *
 * <ul>
 *   <li>{@code java -Djna.debug_load=true -cp classes:JAR:JNA Check VERSION CHECKOUT jna
 *       [installed]} on Java 17: the binding calls the library through JNA, which unpacks it from
 *       the jar; its load log (jna.debug_load) says where the library was found.
 *   <li>{@code java -Djava.io.tmpdir=DIR -cp classes:JAR Check VERSION CHECKOUT ffm [installed]}
 *       on Java 22+: through java.lang.foreign, with no JNA on the classpath; the jar's library is
 *       copied to DIR, loaded, and deleted, which /proc/self/maps shows.
 * </ul>
 *
 * "installed" says that this machine has a libgcounter.so.0 on the system library path, which
 * both try before the jar. The license texts of CHECKOUT are read, to compare with the jar's. Prints one line per check and closes with "dist-java: N passed, N
 * failed".
 */
public final class Check {
  private static final List<String> JNA_LOG = new ArrayList<>();
  private static int passed;
  private static int failed;

  private Check() {}

  public static void main(String[] args) throws IOException {
    String version = args[0];
    String checkout = new File(args[1]).getCanonicalPath() + "/";
    boolean ffm = args[2].equals("ffm");
    boolean installed = args.length > 3 && args[3].equals("installed");
    recordJnaLog();

    String resource = "/linux-" + (System.getProperty("os.arch").equals("aarch64") ? "aarch64" : "x86-64") + "/libgcounter.so";
    check("the jar carries " + resource.substring(1), String.valueOf(GCounter.class.getResource(resource)),
        url -> url.startsWith("jar:file:") && url.contains("/gcounter-" + version + ".jar!"));
    check("the jar is multi-release, with the java.lang.foreign classes for Java 22+", jarLayout(version),
        layout -> layout.equals("Multi-Release: true, META-INF/versions/22/io/gcounter/FfmLibgcounter.class"));
    for (String license : List.of("LICENSE-MIT", "LICENSE-APACHE")) {
      check("the jar carries META-INF/" + license + ", as the repository has it",
          licenseInJar(version, license, checkout), "same"::equals);
    }
    check("the jar and the library carry the version",
        pomVersion() + " " + GCounter.libraryVersion(), v -> v.equals(version + " " + version));
    check("the binding calls the library through " + (ffm ? "java.lang.foreign" : "JNA"),
        GCounter.nativeAccess(), access -> access.equals(ffm ? "java.lang.foreign" : "JNA"));

    if (ffm) {
      check("JNA is not on the classpath", String.valueOf(GCounter.class.getResource("/com/sun/jna/Native.class")),
          "null"::equals);
      String tmp = new File(System.getProperty("java.io.tmpdir")).getCanonicalPath() + "/";
      List<String> maps = Files.readAllLines(Path.of("/proc/self/maps"));
      String mapped = maps.stream().filter(line -> line.contains("libgcounter")).map(line -> line.substring(line.indexOf('/')))
          .distinct().collect(Collectors.joining(", "));
      check(installed ? "the installed library is loaded" : "the jar's library is loaded, from a copy since deleted", mapped,
          files -> installed
              ? files.contains("libgcounter.so.0")
              : files.startsWith(tmp + "libgcounter") && files.endsWith(".so (deleted)") && !files.contains(","));
      check("no copy is left behind", String.valueOf(new File(tmp).list((dir, name) -> name.startsWith("libgcounter")).length),
          "0"::equals);
    } else {
      String jarEntry = "/gcounter-" + version + ".jar!" + resource;
      String found = JNA_LOG.stream().filter(line -> line.startsWith("Found library '")).reduce((a, b) -> b).orElse("");
      check(installed ? "the installed library is loaded" : "the jar's library is loaded", found,
          line -> installed
              ? line.startsWith("Found library 'libgcounter.so.0'")
              : line.startsWith("Found library 'gcounter' at ")
                  && JNA_LOG.stream().anyMatch(l -> l.startsWith("Found library resource at jar:file:") && l.endsWith(jarEntry)));
    }

    try (GCounter a = new GCounter(); GCounter b = GCounter.fromJson("{\"agent-b\": 4, \"agent-a\": 1}")) {
      a.increment("agent-a", 3);
      a.join(b);
      check("join takes the per-slot maximum", a.value() + " " + a.valueFor("agent-a"), v -> v.equals("7 3"));
      check("toJson is canonical", a.toJson(), json -> json.equals("{\"agent-a\":3,\"agent-b\":4}"));
      String refused;
      try {
        a.joinJson("{\"agent-a\": -1}");
        refused = "no exception";
      } catch (GCounterException e) {
        refused = e.status() + ": " + e.detail();
      }
      check("a bad document is refused", refused,
          r -> r.startsWith(Status.INVALID_JSON + ": invalid JSON at byte"));
      check("a refused document changes nothing", a.toJson(), json -> json.equals("{\"agent-a\":3,\"agent-b\":4}"));
    }

    String top = "18446744073709551615";
    try (GCounter mine = GCounter.fromJson("{\"a\":" + top + ",\"b\":" + top + ",\"\uffff\":1,\"\ud83d\ude00\":2}");
        GCounter peer = GCounter.fromJson("{\"a\":" + top + ",\"b\":5}");
        GCounter delta = mine.deltaFor(peer)) {
      check("valueExact is exact past 2^64", mine.valueExact().toString(), "36893488147419103233"::equals);
      check("deltaFor sends only what the peer lacks", delta.toJson(),
          json -> json.equals("{\"b\":" + top + ",\"\uffff\":1,\"\ud83d\ude00\":2}"));
      StringBuilder slots = new StringBuilder();
      mine.forEach((agentId, count) -> slots.append(agentId).append('=').append(Long.toUnsignedString(count)).append(' '));
      check("forEach walks the slots in UTF-8 byte order", slots.toString(),
          walk -> walk.equals("a=" + top + " b=" + top + " \uffff=1 \ud83d\ude00=2 "));
      check("toMap copies them in that order", mine.toMap().toString(),
          map -> map.equals("{a=" + top + ", b=" + top + ", \uffff=1, \ud83d\ude00=2}"));
    }

    List<String> fromCheckout;
    try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
      fromCheckout = lines.filter(line -> line.contains(checkout)).distinct().collect(Collectors.toList());
    }
    check("nothing is loaded from the checkout", fromCheckout.toString(), List.of().toString()::equals);

    System.out.println("dist-java: " + passed + " passed, " + failed + " failed");
    System.exit(failed == 0 ? 0 : 1);
  }

  /** Keeps JNA's messages about where it looks for and finds libraries, instead of printing them. */
  private static void recordJnaLog() {
    Logger jna = Logger.getLogger("com.sun.jna");
    jna.setUseParentHandlers(false);
    jna.setLevel(Level.ALL);
    SimpleFormatter formatter = new SimpleFormatter();
    jna.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            JNA_LOG.add(formatter.formatMessage(record));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
  }

  /** The jar's Multi-Release attribute and its java.lang.foreign class, as one line. */
  private static String jarLayout(String version) throws IOException {
    try (JarFile jar = new JarFile("gcounter-" + version + ".jar")) {
      String entry = "META-INF/versions/22/io/gcounter/FfmLibgcounter.class";
      return "Multi-Release: " + jar.getManifest().getMainAttributes().getValue("Multi-Release") + ", "
          + (jar.getEntry(entry) == null ? "no " + entry : entry);
    }
  }

  /** "same" when the jar's META-INF/NAME has the bytes of the checkout's NAME; otherwise what is wrong. */
  private static String licenseInJar(String version, String name, String checkout) throws IOException {
    try (JarFile jar = new JarFile("gcounter-" + version + ".jar")) {
      var entry = jar.getEntry("META-INF/" + name);
      if (entry == null) {
        return "no META-INF/" + name;
      }
      try (InputStream in = jar.getInputStream(entry)) {
        return Arrays.equals(in.readAllBytes(), Files.readAllBytes(Path.of(checkout, name)))
            ? "same" : "META-INF/" + name + " differs from " + checkout + name;
      }
    }
  }

  private static String pomVersion() throws IOException {
    try (InputStream in = GCounter.class.getResourceAsStream("/META-INF/maven/io.gcounter/gcounter/pom.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version");
    }
  }

  private static void check(String name, String actual, Predicate<String> expected) {
    if (expected.test(actual)) {
      passed++;
      System.out.println("ok   " + name);
    } else {
      failed++;
      System.out.println("FAIL " + name + ": " + actual);
    }
  }
}
