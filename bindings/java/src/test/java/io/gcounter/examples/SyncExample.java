package io.gcounter.examples;

import io.gcounter.GCounter;
import io.gcounter.GCounterException;

/**
 * Two replicas of one counter, each counting its own agent's events, kept in sync by sending
 * deltas as JSON, as they would over a network; then anti-entropy with a third replica whose
 * whole state arrives. Run it with {@code make demo-java}.
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
      System.out.println("total:       " + tokyo.valueExact()); // 9, exact however large
      System.out.println("berlin:      " + tokyo.valueFor("berlin")); // 4
      tokyo.forEach( // the slots in canonical order, without JSON
          (agentId, count) -> System.out.println("slot:        " + agentId + " " + Long.toUnsignedString(count)));

      try {
        tokyo.joinJson("{\"osaka\": -1}");
      } catch (GCounterException e) {
        // INVALID_JSON: invalid JSON at byte 10: the count of agent "osaka" is negative; ...
        System.out.println("rejected:    " + e.status() + ": " + e.detail());
      }

      // Anti-entropy: paris sends its whole state; tokyo replies with only what paris lacks.
      String fromParis = "{\"berlin\":4,\"paris\":7,\"tokyo\":2}";
      antiEntropyReply(tokyo, fromParis); // replied: {"tokyo":5}, 1 of 2 slots
      return tokyo.toJson(); // {"berlin":4,"tokyo":5}
    }
  }

  /**
   * What a replica sends back to a peer whose whole state it has just read: the slots the peer
   * lacks, as JSON. Joining it brings the peer up to this replica's state.
   */
  public static String antiEntropyReply(GCounter replica, String peerState) {
    try (GCounter peer = GCounter.fromJson(peerState);
        GCounter missing = replica.deltaFor(peer)) {
      String reply = missing.toJson();
      System.out.println(
          "replied:     " + reply + ", " + missing.agentCount() + " of " + replica.agentCount() + " slots");
      return reply;
    }
  }

  /** The slots that rose since the last call, as JSON to send to the other replicas. */
  private static String deltaJson(GCounter replica) {
    try (GCounter delta = replica.takeDelta()) {
      return delta.toJson();
    }
  }
}
