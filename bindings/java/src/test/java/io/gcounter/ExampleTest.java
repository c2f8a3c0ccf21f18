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
}
