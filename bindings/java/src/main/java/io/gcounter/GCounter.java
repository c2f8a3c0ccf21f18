package io.gcounter;

import static io.gcounter.Libgcounter.LIB;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.ConcurrentModificationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ObjLongConsumer;

/**
 * A grow-only counter (G-Counter CRDT) held by libgcounter: one slot per agent, each agent
 * increments its own slot, {@link #join} takes the per-slot maximum, {@link #value} is the sum.
 *
 * <pre>{@code
 * try (GCounter a = new GCounter(); GCounter b = new GCounter()) {
 *   a.increment("agent-1", 1);
 *   b.increment("agent-2", 2);
 *   a.join(b);                    // a = {agent-1: 1, agent-2: 2}
 *   assert a.value() == 3;
 *   String wire = a.toJson();     // {"agent-1":1,"agent-2":2}
 *   try (GCounter c = GCounter.fromJson(wire)) {
 *     assert c.compare(a) == Order.EQUAL;
 *   }
 * }
 * }</pre>
 *
 * <p><b>Counts.</b> Slots are unsigned 64-bit in the library, and their sum may exceed that.
 * {@link #valueExact()} returns the sum exactly, as the library computes it; {@link #valueForBig}
 * returns a slot exactly. {@link #value()} and {@link #valueFor} return a {@code long} and throw
 * {@link ArithmeticException} for a count above {@link Long#MAX_VALUE}. {@link #forEach} passes
 * each count as a {@code long} read as unsigned; {@link #toMap()} gives them as {@code BigInteger}.
 *
 * <p><b>Equality.</b> {@link #equals} and {@link #hashCode} are {@link Object}'s: a counter equals
 * only itself. To compare contents, use {@link #equivalent} (the same count for every agent) or
 * {@link #compare}: {@code GCounter.fromJson(a.toJson()).equals(a)} is false, while {@code
 * GCounter.fromJson(a.toJson()).equivalent(a)} is true. A counter is a mutable native resource:
 * a hash of its slots would change with each increment and lose the counter in a {@code HashSet}
 * or as a {@code HashMap} key.
 *
 * <p><b>Threads.</b> Every method is thread-safe: each counter has its own lock, held for the
 * whole native call. Calls that take two counters ({@link #join}, {@link #deltaFor}, {@link
 * #equivalent}, {@link #compare}) lock both in a fixed global order, so {@code a.join(b)} racing
 * {@code b.join(a)} cannot deadlock; {@code a.join(a)} is allowed.
 *
 * <p><b>Lifetime.</b> Each counter owns a native handle. {@link #close()} frees it at once and is
 * safe to call twice; a counter that is never closed is freed by a {@link Cleaner} after it
 * becomes unreachable. Any other method on a closed counter throws {@link IllegalStateException}.
 *
 * <p><b>Errors.</b> A failure reported by the library is a {@link GCounterException} carrying the
 * {@link Status} and the library's message; the counter is left exactly as it was. The library
 * decides which arguments are valid: an increment by 0 is a {@code GCounterException} with {@link
 * Status#INVALID_ARGUMENT} and the library's message, as in every other binding. An amount the C
 * type {@code uint64_t} cannot hold is refused here, before the call, with the status the library
 * gives its nearest case: a negative one {@link Status#INVALID_ARGUMENT}, a {@code BigInteger}
 * above 2^64-1 {@link Status#OVERFLOW}. A null argument is Java's {@link NullPointerException}.
 */
public final class GCounter implements AutoCloseable {
  private static final Cleaner CLEANER = Cleaner.create();
  /** Two-counter calls lock the counter of lower rank first: one global order, no deadlock. */
  private static final AtomicLong NEXT_LOCK_RANK = new AtomicLong();

  private static final LongAdder OPEN_HANDLES = new LongAdder();
  private static final LongAdder FREED_BY_CLEANER = new LongAdder();

  private static final BigInteger TWO_TO_THE_64 = BigInteger.ONE.shiftLeft(64);
  private static final int OK = Status.OK.code();

  /**
   * The order of agent ids in the canonical form ({@link #toJson()}, {@link #forEach}, {@link
   * #toMap()}): by their UTF-8 bytes, which is the order of their Unicode code points. It differs
   * from {@link String#compareTo}, which compares UTF-16 units and so puts {@code "\uFFFF"} after
   * {@code "\uD83D\uDE00"} (U+1F600). For a sorted copy: {@code new TreeMap<>(AGENT_ID_ORDER)}.
   */
  public static final Comparator<String> AGENT_ID_ORDER = GCounter::compareAgentIds;

  private final Object lock = new Object();
  private final long lockRank = NEXT_LOCK_RANK.getAndIncrement();
  private final Release release;
  private final Cleaner.Cleanable cleanable;
  /** The native handle; 0 once closed. Guarded by {@link #lock}. */
  private long handle;
  /** Successful calls that changed the slots, so that a walk can tell. Guarded by {@link #lock}. */
  private long modifications;

  /** An empty counter. */
  public GCounter() {
    this(requireHandle(LIB.newCounter()));
  }

  private GCounter(long handle) {
    this.handle = handle;
    this.release = new Release(handle);
    this.cleanable = CLEANER.register(this, release);
  }

  /**
   * Parses the wire format: one JSON object of {@code {agentId: count}}, counts from 0 to 2^64-1.
   *
   * @param json the JSON text
   * @return a new counter, which the caller owns
   * @throws GCounterException with {@link Status#INVALID_JSON} for anything else
   */
  public static GCounter fromJson(String json) {
    return fromJson(Utf8.encode(Objects.requireNonNull(json, "json"), "JSON text", Status.INVALID_JSON));
  }

  /**
   * Parses the wire format from UTF-8 bytes, as read from a file or a socket.
   *
   * @param json the JSON text as UTF-8
   * @return a new counter, which the caller owns
   * @throws GCounterException with {@link Status#INVALID_JSON} for bytes that are not the wire format
   */
  public static GCounter fromJson(byte[] json) {
    Objects.requireNonNull(json, "json");
    long[] out = new long[1];
    check(LIB.fromJson(json, out));
    return new GCounter(out[0]);
  }

  /** {@return the version of the loaded libgcounter, e.g. {@code "0.2.0"}} */
  public static String libraryVersion() {
    return LIB.version();
  }

  /**
   * {@return how this binding calls the library: {@code "java.lang.foreign"} on Java 22 and
   * later, {@code "JNA"} before (the system property {@code gcounter.native}, {@code ffm} or
   * {@code jna}, chooses where the JVM allows either)}
   */
  public static String nativeAccess() {
    return LIB.nativeAccess();
  }

  /**
   * Adds 1 to {@code agentId}'s slot. See {@link #increment(String, long)}.
   *
   * @param agentId the agent whose slot grows
   */
  public void increment(String agentId) {
    increment(agentId, 1);
  }

  /**
   * Adds {@code by} to {@code agentId}'s slot. Any string is an agent id, the empty one and ones
   * holding {@code '\0'} included; it is passed to the library as its UTF-8 bytes.
   *
   * @param agentId the agent whose slot grows
   * @param by at least 1
   * @throws GCounterException with {@link Status#INVALID_ARGUMENT} if {@code by <= 0}, {@link
   *     Status#OVERFLOW} if the slot would exceed 2^64-1, or {@link Status#INVALID_UTF8} if {@code
   *     agentId} has an unpaired surrogate
   */
  public void increment(String agentId, long by) {
    if (by < 0) {
      throw negativeIncrement(by);
    }
    // incrementUnsigned written out: the hottest call, kept shallow for the JIT to inline whole.
    Utf8.AgentId id = Utf8.agentId(Objects.requireNonNull(agentId, "agentId"));
    synchronized (lock) {
      try {
        int status = LIB.incrementLen(openHandle(), id, by);
        if (status != OK) {
          throw GCounterException.afterFailedCall(status);
        }
        modifications++;
      } finally {
        Reference.reachabilityFence(this);
      }
    }
  }

  /**
   * Adds {@code by} to {@code agentId}'s slot, for increments up to the library's full range.
   *
   * @param agentId the agent whose slot grows
   * @param by from 1 to 2^64-1
   * @throws GCounterException as {@link #increment(String, long)}; {@link Status#OVERFLOW} also
   *     for {@code by} above 2^64-1, which no slot can take
   */
  public void increment(String agentId, BigInteger by) {
    Objects.requireNonNull(by, "by");
    if (by.signum() < 0) {
      throw negativeIncrement(by);
    }
    if (by.bitLength() > Long.SIZE) {
      throw new GCounterException(
          Status.OVERFLOW, "increment 'by' must be at most 2^64-1, got " + by);
    }
    incrementUnsigned(agentId, by.longValue());
  }

  /** {@code uint64_t} cannot carry a negative amount to the library, which refuses 0 so. */
  private static GCounterException negativeIncrement(Number by) {
    return new GCounterException(
        Status.INVALID_ARGUMENT, "increment 'by' must be at least 1, got " + by);
  }

  /** The hot path, written out: no lambda to allocate or inline. */
  private void incrementUnsigned(String agentId, long by) {
    Utf8.AgentId id = encodedAgentId(agentId);
    synchronized (lock) {
      try {
        modified(LIB.incrementLen(openHandle(), id, by));
      } finally {
        Reference.reachabilityFence(this);
      }
    }
  }

  /**
   * Joins {@code other} into this counter: every slot becomes the maximum of the two.
   * {@code other} is not changed; {@code join(this)} changes nothing.
   *
   * @param other the counter to join into this one
   */
  public void join(GCounter other) {
    lockedWith(
        other,
        (mine, theirs) -> {
          modified(LIB.join(mine, theirs));
          return null;
        });
  }

  /**
   * Joins a counter in the wire format into this one, as {@code join(fromJson(json))}.
   *
   * @param json the JSON text
   * @throws GCounterException with {@link Status#INVALID_JSON}; the counter is then unchanged
   */
  public void joinJson(String json) {
    joinJson(Utf8.encode(Objects.requireNonNull(json, "json"), "JSON text", Status.INVALID_JSON));
  }

  /**
   * Joins a counter in the wire format, given as UTF-8 bytes. See {@link #joinJson(String)}.
   *
   * @param json the JSON text as UTF-8
   */
  public void joinJson(byte[] json) {
    Objects.requireNonNull(json, "json");
    lockedRun(h -> modified(LIB.joinJson(h, json)));
  }

  /**
   * The sum of all slots, as a {@code long}.
   *
   * @return the sum
   * @throws ArithmeticException if the sum exceeds {@link Long#MAX_VALUE} (use {@link #valueExact()})
   * @throws GCounterException with {@link Status#OVERFLOW} if the sum exceeds 2^64-1
   */
  public long value() {
    return exact(rawValue(), "the total", "valueExact()");
  }

  /**
   * The exact sum of all slots, however large: up to (2^32-1)(2^64-1). The library sums in 128
   * bits, so this never overflows.
   *
   * @return the sum
   */
  public BigInteger valueExact() {
    return locked(
        h -> {
          long[] highLow = new long[2];
          check(LIB.valueExact(h, highLow));
          return twoWords(highLow[0], highLow[1]);
        });
  }

  /**
   * The exact sum of all slots: the same as {@link #valueExact()}. (In 0.1 it threw {@link
   * Status#OVERFLOW} above 2^64-1; it now returns the sum.)
   *
   * @return the sum
   * @deprecated use {@link #valueExact()}, the name every binding gives this call
   */
  @Deprecated(since = "0.2.0")
  public BigInteger valueBig() {
    return valueExact();
  }

  private long rawValue() {
    return lockedLong(
        h -> {
          long[] out = new long[1];
          check(LIB.value(h, out));
          return out[0];
        });
  }

  /**
   * {@code agentId}'s slot; 0 for an agent never seen.
   *
   * @param agentId the agent
   * @return the agent's count
   * @throws ArithmeticException if the slot exceeds {@link Long#MAX_VALUE} (use {@link #valueForBig})
   * @throws GCounterException with {@link Status#INVALID_UTF8} if {@code agentId} has an unpaired surrogate
   */
  public long valueFor(String agentId) {
    return exact(rawValueFor(agentId), "the agent's count", "valueForBig(agentId)");
  }

  /**
   * {@code agentId}'s slot, exact; 0 for an agent never seen. See {@link #valueFor}.
   *
   * @param agentId the agent
   * @return the agent's count
   */
  public BigInteger valueForBig(String agentId) {
    return unsigned(rawValueFor(agentId));
  }

  private long rawValueFor(String agentId) {
    Utf8.AgentId id = encodedAgentId(agentId);
    return lockedLong(
        h -> {
          long[] out = new long[1];
          check(LIB.valueForLen(h, id, out));
          return out[0];
        });
  }

  /** {@return the number of agents whose slot is above 0} */
  public long agentCount() {
    return lockedLong(LIB::agentCount);
  }

  /**
   * {@return true when every agent has the same count in both counters (an absent agent counts 0)}
   * This compares contents; {@link #equals} is identity (see Equality in the class documentation).
   *
   * @param other the counter to compare with
   */
  public boolean equivalent(GCounter other) {
    return lockedWith(other, LIB::equivalent);
  }

  /**
   * {@return where this counter stands against {@code other} in the lattice's partial order}
   *
   * @param other the counter to compare with
   */
  public Order compare(GCounter other) {
    return lockedWith(
        other,
        (mine, theirs) -> {
          int[] out = new int[1];
          check(LIB.compare(mine, theirs, out));
          return Order.fromCode(out[0]);
        });
  }

  /**
   * The canonical wire format: {@code {"agent":count,...}}, no whitespace, sorted by agent id in
   * UTF-8 byte order, only slots above 0. Equivalent counters give equal strings.
   *
   * @return the JSON text
   */
  public String toJson() {
    return new String(toJsonBytes(), StandardCharsets.UTF_8);
  }

  /** {@return {@link #toJson()} as UTF-8 bytes, ready to write to a file or a socket} */
  public byte[] toJsonBytes() {
    return locked(
        h -> {
          long[] json = new long[2];
          check(LIB.toJson(h, json));
          try {
            return LIB.bytes(json[0], json[1]);
          } finally {
            LIB.stringFree(json[0]);
          }
        });
  }

  /**
   * Returns the slots that rose since the last {@code takeDelta} (or since this counter was made),
   * at their current counts, and starts a new record. Joining the deltas into a peer that had this
   * counter's earlier state gives the same result as joining the full state, in any order, any
   * number of times. The caller owns the returned counter.
   *
   * @return a new counter holding the delta
   */
  public GCounter takeDelta() {
    return locked(
        h -> {
          long[] out = new long[1];
          modified(LIB.takeDelta(h, out));
          return new GCounter(out[0]);
        });
  }

  /**
   * What {@code peer} lacks of this counter: a new counter holding, for every agent whose count
   * here is above its count in {@code peer}, this counter's count, and nothing else. Joining it
   * into any copy of {@code peer} gives the same as joining this whole counter; it is empty exactly
   * when this counter is {@link Order#EQUAL} or {@link Order#LESS} than {@code peer}. Neither
   * counter changes, nor does either's delta record ({@link #takeDelta}); {@code deltaFor(this)}
   * is allowed (empty). A replica that has just read a peer's state ({@link #fromJson}) replies
   * with {@code deltaFor(peer)}: anti-entropy that sends only what is missing. The caller owns
   * the returned counter.
   *
   * @param peer the counter whose state the reply is for
   * @return a new counter holding the slots {@code peer} lacks
   */
  public GCounter deltaFor(GCounter peer) {
    return lockedWith(
        peer,
        (mine, theirs) -> {
          long[] out = new long[1];
          check(LIB.deltaFor(mine, theirs, out));
          return new GCounter(out[0]);
        });
  }

  /**
   * Passes every slot to {@code action} in canonical order ({@link #AGENT_ID_ORDER}; only counts
   * above 0), as {@link #toJson()} writes them, without JSON.
   *
   * <p>The count is unsigned 64-bit carried in a {@code long}: one above {@link Long#MAX_VALUE}
   * arrives negative. Read it with {@link Long#toUnsignedString(long)}, {@link
   * Long#compareUnsigned} or {@link Long#divideUnsigned}, or use {@link #toMap()} for {@code
   * BigInteger} counts. No count is boxed.
   *
   * <p>The counter's lock is held for the whole walk, so the slots cannot change under it: other
   * threads' calls on this counter wait until it ends (keep {@code action} short, or walk a {@link
   * #toMap()} copy instead). If {@code action} itself changes this counter, the walk stops with
   * {@link ConcurrentModificationException} after that slot; if it closes it, with {@link
   * IllegalStateException}.
   *
   * @param action takes each agent id and its count
   */
  public void forEach(ObjLongConsumer<? super String> action) {
    Objects.requireNonNull(action, "action");
    synchronized (lock) {
      try {
        long before = modifications;
        long slots = LIB.agentCount(openHandle());
        long[] slot = new long[3];
        for (long index = 0; index < slots; index++) {
          check(LIB.slotAt(openHandle(), index, slot));
          // The id is borrowed until the next non-const call: copy it out before anything else.
          String agentId = new String(LIB.bytes(slot[0], slot[1]), StandardCharsets.UTF_8);
          action.accept(agentId, slot[2]);
          if (modifications != before) {
            throw new ConcurrentModificationException("the GCounter changed during forEach");
          }
        }
      } finally {
        Reference.reachabilityFence(this);
      }
    }
  }

  /**
   * {@return a copy of the slots in canonical order ({@link #AGENT_ID_ORDER}; only counts above
   * 0), exact: a new, modifiable {@link LinkedHashMap} that iterates in that order}
   */
  public Map<String, BigInteger> toMap() {
    Map<String, BigInteger> slots = new LinkedHashMap<>();
    forEach((agentId, count) -> slots.put(agentId, unsigned(count)));
    return slots;
  }

  /** {@return an independent counter with the same slots (and an empty delta record)} */
  public GCounter copy() {
    return locked(h -> new GCounter(requireHandle(LIB.cloneCounter(h))));
  }

  /** {@return true once {@link #close()} has run} */
  public boolean isClosed() {
    synchronized (lock) {
      return handle == 0;
    }
  }

  /** Frees the native counter. Safe to call more than once; later calls do nothing. */
  @Override
  public void close() {
    synchronized (lock) {
      if (handle == 0) {
        return;
      }
      handle = 0;
      release.byClose = true;
      cleanable.clean();
    }
  }

  @Override
  public String toString() {
    synchronized (lock) {
      if (handle == 0) {
        return "GCounter[closed]";
      }
      try {
        return "GCounter[agents=" + LIB.agentCount(handle) + "]";
      } finally {
        Reference.reachabilityFence(this);
      }
    }
  }

  /** Handles currently owned by open, not yet collected counters (for tests of the lifetime rules). */
  static long openHandles() {
    return OPEN_HANDLES.sum();
  }

  /** How many handles the {@link Cleaner} has freed, i.e. of counters dropped without close. */
  static long freedByCleaner() {
    return FREED_BY_CLEANER.sum();
  }

  // ---- the rules of every native call: lock, check open, keep reachable, check status ----

  @FunctionalInterface
  private interface HandleCall<T> {
    T apply(long handle);
  }

  @FunctionalInterface
  private interface HandleLongCall {
    long apply(long handle);
  }

  @FunctionalInterface
  private interface HandleVoidCall {
    void apply(long handle);
  }

  @FunctionalInterface
  private interface PairCall<T> {
    T apply(long mine, long theirs);
  }

  /*
   * Each helper holds the lock for the whole native call and the status check, so a failure's
   * thread-local message is read on the same thread before any other libgcounter call. The
   * reachability fence keeps the Cleaner from freeing the handle while the call still uses it.
   */

  private <T> T locked(HandleCall<T> call) {
    synchronized (lock) {
      try {
        return call.apply(openHandle());
      } finally {
        Reference.reachabilityFence(this);
      }
    }
  }

  private long lockedLong(HandleLongCall call) {
    synchronized (lock) {
      try {
        return call.apply(openHandle());
      } finally {
        Reference.reachabilityFence(this);
      }
    }
  }

  private void lockedRun(HandleVoidCall call) {
    synchronized (lock) {
      try {
        call.apply(openHandle());
      } finally {
        Reference.reachabilityFence(this);
      }
    }
  }

  private <T> T lockedWith(GCounter other, PairCall<T> call) {
    Objects.requireNonNull(other, "other");
    if (other == this) {
      return locked(h -> call.apply(h, h));
    }
    GCounter first = lockRank < other.lockRank ? this : other;
    GCounter second = first == this ? other : this;
    synchronized (first.lock) {
      synchronized (second.lock) {
        try {
          long mine = openHandle();
          if (other.handle == 0) {
            throw new IllegalStateException("the other GCounter is closed");
          }
          return call.apply(mine, other.handle);
        } finally {
          Reference.reachabilityFence(this);
          Reference.reachabilityFence(other);
        }
      }
    }
  }

  /** The handle; the caller holds {@link #lock}. */
  private long openHandle() {
    if (handle == 0) {
      throw new IllegalStateException("GCounter is closed");
    }
    return handle;
  }

  private static void check(int status) {
    if (status != Status.OK.code()) {
      throw GCounterException.afterFailedCall(status);
    }
  }

  /** {@link #check} for a call that changes the slots; the caller holds {@link #lock}. */
  private void modified(int status) {
    check(status);
    modifications++;
  }

  /** A handle from a function that returns NULL only on an internal failure. */
  private static long requireHandle(long handle) {
    if (handle == 0) {
      throw GCounterException.afterFailedCall(Status.PANIC.code());
    }
    return handle;
  }

  /** The id encoded, perhaps {@link Utf8#agentId}'s cached copy. */
  private static Utf8.AgentId encodedAgentId(String agentId) {
    return Utf8.agentId(Objects.requireNonNull(agentId, "agentId"));
  }

  /** {@code unsigned} as a {@code long}; above Long.MAX_VALUE, the message names the exact call. */
  private static long exact(long unsigned, String what, String exactCall) {
    if (unsigned < 0) {
      throw new ArithmeticException(
          what + ", " + Long.toUnsignedString(unsigned) + ", does not fit in a long (it is above"
              + " Long.MAX_VALUE); call " + exactCall + " to read it exactly as a BigInteger");
    }
    return unsigned;
  }

  private static BigInteger unsigned(long value) {
    BigInteger big = BigInteger.valueOf(value);
    return value >= 0 ? big : big.add(TWO_TO_THE_64);
  }

  /** {@code high * 2^64 + low}, both read as unsigned. */
  private static BigInteger twoWords(long high, long low) {
    return high == 0 ? unsigned(low) : unsigned(high).shiftLeft(Long.SIZE).add(unsigned(low));
  }

  /**
   * UTF-8 byte order, which is code point order, without decoding: it agrees with UTF-16 unit
   * order except that the units of a surrogate pair (U+10000 and above) must sort after
   * U+E000-U+FFFF, so at the first difference both units are moved to put them there.
   */
  private static int compareAgentIds(String a, String b) {
    int length = Math.min(a.length(), b.length());
    for (int i = 0; i < length; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        return Integer.compare(codePointRank(x), codePointRank(y));
      }
    }
    return Integer.compare(a.length(), b.length());
  }

  private static int codePointRank(char unit) {
    if (unit >= 0xE000) {
      return unit - 0x800;
    }
    return Character.isSurrogate(unit) ? unit + 0x2000 : unit;
  }

  /** Frees one handle exactly once, from {@link #close()} or from the {@link Cleaner}. */
  private static final class Release implements Runnable {
    private final long handle;
    /** Set under the owner's lock just before close() runs this action on the same thread. */
    private volatile boolean byClose;

    Release(long handle) {
      this.handle = handle;
      OPEN_HANDLES.increment();
    }

    @Override
    public void run() {
      LIB.free(handle);
      OPEN_HANDLES.decrement();
      if (!byClose) {
        FREED_BY_CLEANER.increment();
      }
    }
  }
}
