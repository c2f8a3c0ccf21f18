package io.gcounter.examples;

import io.gcounter.GCounter;
import io.gcounter.GCounterException;

/**
 * Two replicas of one counter, each counting its own agent's events, kept in sync by sending
 * deltas as JSON, as they would over a network. Run it with {@code make demo-java}.
 */
public final class SyncExample {
  private SyncExample() {}

  public static void main(String[] args) {
    System.out.println("converged:   " + run());
  }

  /** Runs the exchange and returns the JSON both replicas end with. */
  public static String run() {
    try (GCounter berlin = new GCounter();
        GCounter tokyo = new GCounter()) {
      berlin.increment("berlin", 3);
      tokyo.increment("tokyo", 5);
      System.out.println("before sync: " + berlin.compare(tokyo)); // CONCURRENT

      // Each replica sends only the slots that rose since its last send.
      String fromBerlin = deltaJson(berlin); // {"berlin":3}
      String fromTokyo = deltaJson(tokyo); // {"tokyo":5}
      tokyo.joinJson(fromBerlin);
      berlin.joinJson(fromTokyo);

      berlin.increment("berlin", 1);
      tokyo.joinJson(deltaJson(berlin)); // {"berlin":4}
      tokyo.joinJson(fromBerlin); // a late duplicate changes nothing

      System.out.println("after sync:  " + berlin.compare(tokyo)); // EQUAL
      System.out.println("total:       " + tokyo.value()); // 9
      System.out.println("berlin:      " + tokyo.valueFor("berlin")); // 4

      try {
        tokyo.joinJson("{\"osaka\": -1}");
      } catch (GCounterException e) {
        // INVALID_JSON: invalid JSON at byte 10: the count of agent "osaka" is negative; ...
        System.out.println("rejected:    " + e.status() + ": " + e.detail());
      }
      return tokyo.toJson(); // {"berlin":4,"tokyo":5}
    }
  }

  /** The slots that rose since the last call, as JSON to send to the other replicas. */
  private static String deltaJson(GCounter replica) {
    try (GCounter delta = replica.takeDelta()) {
      return delta.toJson();
    }
  }
}
