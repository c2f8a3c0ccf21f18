import io.gcounter.GCounter;
import io.gcounter.GCounterException;
import io.gcounter.Status;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A replica of the convergence example in Java, over the gcounter binding (JNA).
 *
 * <p>Usage: {@code java Replica DIR SEED}, then commands on standard input (see
 * ../coordinator.py).
 */
public final class Replica {
  private Replica() {}

  public static void main(String[] args) throws IOException {
    Path directory = Path.of(args[0]);
    Random rng = new Random(Long.parseLong(args[1]));
    String agentId =
        new String(Files.readAllBytes(directory.resolve("agent_id")), StandardCharsets.UTF_8);
    Path inbox = directory.resolve("inbox");
    Path outbox = directory.resolve("outbox");
    BufferedReader input =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    long own = 0;
    int refused = 0;
    try (GCounter counter = new GCounter()) {
      for (String line; (line = input.readLine()) != null; ) {
        String[] command = line.trim().split(" ");
        if (command[0].equals("quit")) {
          break;
        }
        refused += drain(counter, inbox);
        switch (command[0]) {
          case "round" -> {
            for (int i = rng.nextInt(4); i > 0; i--) {
              int by = 1 + rng.nextInt(9);
              counter.increment(agentId, by);
              own += by;
            }
            byte[] payload;
            if (rng.nextInt(4) == 0) {
              payload = counter.toJsonBytes(); // the full state
            } else {
              try (GCounter delta = counter.takeDelta()) { // what rose since the last delta
                payload = delta.toJsonBytes();
              }
            }
            send(outbox, String.format("%04d.json", Integer.parseInt(command[1])), payload);
          }
          case "final" -> send(outbox, "final.json", counter.toJsonBytes());
          case "report" -> Files.write(directory.resolve("state.json"), counter.toJsonBytes());
          default -> throw new IllegalArgumentException("unknown command: " + line);
        }
        System.out.println("ok " + own + " " + counter.value() + " " + refused);
        System.out.flush();
      }
    }
  }

  /** Joins every message in the inbox, in name order; returns how many were refused. */
  private static int drain(GCounter counter, Path inbox) throws IOException {
    List<Path> messages;
    try (Stream<Path> files = Files.list(inbox)) {
      messages =
          files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
    }
    int refused = 0;
    for (Path path : messages) {
      byte[] message = Files.readAllBytes(path);
      Files.delete(path);
      try {
        counter.joinJson(message);
      } catch (GCounterException e) {
        if (e.status() != Status.INVALID_JSON) {
          throw e;
        }
        refused++; // cut short in transit; the counter is unchanged
      }
    }
    return refused;
  }

  /** Writes a message atomically: to a hidden name, then renamed. */
  private static void send(Path outbox, String name, byte[] payload) throws IOException {
    Path temporary = outbox.resolve("." + name);
    Files.write(temporary, payload);
    Files.move(temporary, outbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }
}
