package io.gcounter;

import static java.lang.foreign.ValueLayout.ADDRESS;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds and opens libgcounter for {@link FfmLibgcounter}, in the order JNA searches on Java 17,
 * so that a setup that worked there works here, with no JNA: the file that {@value
 * Libgcounter#LIBRARY_PATH_PROPERTY} names; else, for each of {@link Libgcounter#libraryNames()},
 * the directories of {@code jna.library.path}, then the system's search ({@code dlopen}: {@code
 * LD_LIBRARY_PATH}, the {@code ldconfig} cache, the system directories); then the library that
 * the jar carries at JNA's resource path ({@code linux-x86-64/libgcounter.so}), copied to a
 * temporary file that is deleted once loaded (the loaded mapping stays).
 *
 * <p>{@link #where()} says which, for the tests and for anyone who wonders.
 */
@SuppressWarnings("restricted") // loading native code is what this class is for
final class FfmLibrary {
  private static String where = "";

  private FfmLibrary() {}

  /** {@return where the library was loaded from, e.g. "resource jar:file:...!/linux-x86-64/libgcounter.so (copied to /tmp/...)"} */
  static String where() {
    return where;
  }

  static SymbolLookup lookup() {
    if (ADDRESS.byteSize() != Long.BYTES) {
      throw new UnsatisfiedLinkError(
          "libgcounter's Java binding needs a 64-bit JVM (pointers and size_t are passed as long)");
    }
    File override = Libgcounter.overrideFile();
    if (override != null) {
      return open(override.toPath(), Libgcounter.LIBRARY_PATH_PROPERTY + " " + override);
    }
    String jnaPath = System.getProperty("jna.library.path", "");
    List<String> tried = new ArrayList<>();
    for (String name : Libgcounter.libraryNames()) {
      for (String directory : jnaPath.split(File.pathSeparator)) {
        Path file = Path.of(directory.isEmpty() ? "." : directory, name);
        if (!directory.isEmpty() && Files.isRegularFile(file)) {
          return open(file.toAbsolutePath(), "jna.library.path " + file.toAbsolutePath());
        }
      }
      try {
        SymbolLookup library = SymbolLookup.libraryLookup(name, Arena.global());
        where = "system library path " + name;
        return library;
      } catch (IllegalArgumentException e) {
        tried.add(e.getMessage());
      }
    }
    String resource = resourcePath();
    URL packaged = resource == null ? null : FfmLibrary.class.getResource("/" + resource);
    if (packaged != null) {
      return openCopy(packaged);
    }
    UnsatisfiedLinkError failure =
        new UnsatisfiedLinkError(
            Libgcounter.notFound(
                "on the system library path"
                    + (jnaPath.isEmpty() ? "" : " nor in jna.library.path=" + jnaPath)
                    + " nor in the jar (" + (resource == null ? "none for this platform" : resource) + ")"));
    tried.forEach(message -> failure.addSuppressed(new UnsatisfiedLinkError(message)));
    throw failure;
  }

  private static SymbolLookup open(Path file, String description) {
    try {
      SymbolLookup library = SymbolLookup.libraryLookup(file, Arena.global());
      where = description;
      return library;
    } catch (IllegalArgumentException e) {
      UnsatisfiedLinkError error = new UnsatisfiedLinkError("cannot load " + file + ": " + e.getMessage());
      error.initCause(e);
      throw error;
    }
  }

  /** The jar's library, through a temporary file: the system loads only files. */
  private static SymbolLookup openCopy(URL packaged) {
    Path copy = null;
    try {
      copy = Files.createTempFile("libgcounter", ".so");
      try (InputStream in = packaged.openStream()) {
        Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
      }
      SymbolLookup library = SymbolLookup.libraryLookup(copy, Arena.global());
      where = "resource " + packaged + " (copied to " + copy + ")";
      return library;
    } catch (IOException | IllegalArgumentException e) {
      UnsatisfiedLinkError error =
          new UnsatisfiedLinkError("cannot load the jar's " + packaged + " through " + copy + ": " + e);
      error.initCause(e);
      throw error;
    } finally {
      deleteQuietly(copy);
    }
  }

  /** Once loaded, the file may go: the mapping stays until the process ends. */
  private static void deleteQuietly(Path copy) {
    if (copy != null) {
      try {
        Files.deleteIfExists(copy);
      } catch (IOException e) {
        copy.toFile().deleteOnExit();
      }
    }
  }

  /** JNA's resource path of the library for this platform, or null where the jar carries none. */
  static String resourcePath() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (!os.startsWith("linux")) {
      return null;
    }
    String platform =
        switch (arch) {
          case "amd64", "x86_64" -> "linux-x86-64";
          case "aarch64", "arm64" -> "linux-aarch64";
          default -> null;
        };
    return platform == null ? null : platform + "/" + System.mapLibraryName("gcounter");
  }
}
