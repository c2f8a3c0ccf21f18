package io.gcounter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gcounter.examples.SyncExample;
import org.junit.jupiter.api.Test;

/** The README's example runs and its replicas converge. */
class ExampleTest {
  @Test
  void syncExampleConverges() {
    assertEquals("{\"berlin\":4,\"tokyo\":5}", SyncExample.run());
  }

  @Test
  void antiEntropyRepliesWithWhatThePeerLacks() {
    try (GCounter tokyo = GCounter.fromJson("{\"berlin\":4,\"tokyo\":5}");
        GCounter paris = GCounter.fromJson("{\"berlin\":4,\"paris\":7,\"tokyo\":2}")) {
      String reply = SyncExample.antiEntropyReply(tokyo, paris.toJson());
      assertEquals("{\"tokyo\":5}", reply);
      paris.joinJson(reply);
      assertEquals(Order.LESS, tokyo.compare(paris));
    }
  }
}
