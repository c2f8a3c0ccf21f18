package io.gcounter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The wire format through the binding: canonical output, tolerant input, strict rejection. */
class JsonTest {
  private static final String U64_MAX = "18446744073709551615";

  @Test
  void outputIsSortedByUtf8BytesNotUtf16Units() {
    // U+FFFD sorts before U+1F600 in UTF-8 bytes (EF.. < F0..), after it in UTF-16 units.
    try (GCounter c = new GCounter()) {
      c.increment("😀", 1);
      c.increment("\uFFFD", 2);
      c.increment("b", 3);
      c.increment("A", 4);
      assertEquals("{\"A\":4,\"b\":3,\"\uFFFD\":2,\"😀\":1}", c.toJson());
    }
  }

  @Test
  void outputEscapesAsJsonRequires() {
    try (GCounter c = new GCounter()) {
      c.increment("q\"b\\", 1);
      c.increment("\n\t\u0001\u001f\0", 2);
      c.increment("é/", 3);
      assertEquals(
          "{\"\\n\\t\\u0001\\u001f\\u0000\":2,\"q\\\"b\\\\\":1,\"é/\":3}", c.toJson());
    }
  }

  @Test
  void toJsonBytesIsTheUtf8OfToJson() {
    try (GCounter c = new GCounter()) {
      c.increment("ñ", 7);
      assertArrayEquals(c.toJson().getBytes(StandardCharsets.UTF_8), c.toJsonBytes());
    }
  }

  @Test
  void roundTripKeepsEverySlot() {
    try (GCounter c = new GCounter()) {
      c.increment("", 1);
      c.increment("a\0b", 2);
      c.increment("\"quoted\"", 3);
      c.increment("日本", 4);
      c.increment("max", new BigInteger(U64_MAX));
      String json = c.toJson();
      try (GCounter back = GCounter.fromJson(json);
          GCounter fromBytes = GCounter.fromJson(c.toJsonBytes())) {
        assertTrue(back.equivalent(c));
        assertTrue(fromBytes.equivalent(c));
        assertEquals(json, back.toJson());
        assertEquals(new BigInteger(U64_MAX), back.valueForBig("max"));
        assertEquals(2, back.valueFor("a\0b"));
      }
    }
  }

  @Test
  void inputMayHaveWhitespaceEscapesAnyOrderAndZeroes() {
    try (GCounter c =
        GCounter.fromJson(" {\n \"z\" : 1 ,\t\"\\u00e9\\n\":2, \"\\ud83d\\ude00\":3, \"zero\":0 }\r\n")) {
      assertEquals("{\"z\":1,\"é\\n\":2,\"😀\":3}", c.toJson());
      assertEquals(3, c.agentCount());
    }
  }

  @Test
  void emptyObjectIsAnEmptyCounter() {
    try (GCounter c = GCounter.fromJson("{}")) {
      assertEquals(0, c.agentCount());
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "[]",
        "null",
        "1",
        "\"{}\"",
        "{",
        "{\"a\":-1}",
        "{\"a\":1.5}",
        "{\"a\":1.0}",
        "{\"a\":1e3}",
        "{\"a\":\"1\"}",
        "{\"a\":null}",
        "{\"a\":true}",
        "{\"a\":[1]}",
        "{\"a\":{}}",
        "{\"a\":18446744073709551616}",
        "{\"a\":1,\"a\":2}",
        "{\"a\":1,\"\\u0061\":2}",
        "{\"\\ud800\":1}",
        "{\"a\":1}x",
        "{\"a\":1}{}",
        "{a:1}",
        "{\"a\":01}",
      })
  void invalidDocumentsAreRejectedWithoutChange(String json) {
    GCounterException parse = assertThrows(GCounterException.class, () -> GCounter.fromJson(json));
    assertEquals(Status.INVALID_JSON, parse.status());
    assertTrue(parse.detail().startsWith("invalid JSON at byte "), parse.detail());
    try (GCounter c = GCounter.fromJson("{\"a\":1}")) {
      GCounterException join = assertThrows(GCounterException.class, () -> c.joinJson(json));
      assertEquals(Status.INVALID_JSON, join.status());
      assertEquals("{\"a\":1}", c.toJson());
    }
  }

  @Test
  void bytesThatAreNotUtf8AreInvalidJson() {
    byte[] json = {'{', '"', (byte) 0xFF, '"', ':', '1', '}'};
    GCounterException e = assertThrows(GCounterException.class, () -> GCounter.fromJson(json));
    assertEquals(Status.INVALID_JSON, e.status());
    try (GCounter c = new GCounter()) {
      assertEquals(Status.INVALID_JSON, assertThrows(GCounterException.class, () -> c.joinJson(json)).status());
      assertEquals("{}", c.toJson());
    }
  }

  @Test
  void javaStringWithUnpairedSurrogateIsInvalidJson() {
    String json = "{\"a\uD800\":1}";
    GCounterException e = assertThrows(GCounterException.class, () -> GCounter.fromJson(json));
    assertEquals(Status.INVALID_JSON, e.status());
    assertTrue(e.detail().contains("unpaired surrogate U+D800 at index 3"), e.detail());
    try (GCounter c = new GCounter()) {
      assertEquals(Status.INVALID_JSON, assertThrows(GCounterException.class, () -> c.joinJson(json)).status());
    }
  }

  @Test
  void seedStyleOutputIsAccepted() {
    // Python's json.dumps(c.to_dict()) with its default separators and ASCII escapes.
    try (GCounter c = GCounter.fromJson("{\"agent-1\": 1, \"caf\\u00e9\": 2}")) {
      assertEquals(2, c.valueFor("café"));
      assertEquals(3, c.value());
    }
  }
}
