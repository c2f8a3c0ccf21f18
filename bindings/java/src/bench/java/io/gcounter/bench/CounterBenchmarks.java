package io.gcounter.bench;

import io.gcounter.GCounter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * libgcounter through the Java binding ({@code gcounter*}) beside {@link HashMapGCounter}
 * ({@code hashMap*}), on the same work: increments spread over 1,000 agents, the join of two
 * 100,000-agent counters, and the JSON of a 100,000-agent counter both ways.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CounterBenchmarks {
  static final int INCREMENT_AGENTS = 1_000;
  static final int JOIN_AGENTS = 100_000;

  static String agentId(int i) {
    return "agent-" + i;
  }

  /** 1,000 agents that already have a slot; each call increments the next one. */
  @State(Scope.Thread)
  public static class Increments {
    final String[] agentIds = new String[INCREMENT_AGENTS];
    GCounter gcounter;
    HashMapGCounter hashMap;
    int next;

    @Setup
    public void setUp() {
      gcounter = new GCounter();
      hashMap = new HashMapGCounter();
      for (int i = 0; i < INCREMENT_AGENTS; i++) {
        agentIds[i] = agentId(i);
        gcounter.increment(agentIds[i], 1);
        hashMap.increment(agentIds[i], 1);
      }
    }

    @TearDown
    public void tearDown() {
      gcounter.close();
    }

    String nextAgent() {
      int i = next;
      next = i + 1 == INCREMENT_AGENTS ? 0 : i + 1;
      return agentIds[i];
    }
  }

  /**
   * Two 100,000-agent replicas over the same agents, each ahead on half of them, so the join
   * rewrites half the slots. Each call joins into a fresh copy, made outside the measurement.
   */
  @State(Scope.Thread)
  public static class Joins {
    GCounter gcounterA;
    GCounter gcounterB;
    GCounter gcounterInto;
    HashMapGCounter hashMapA;
    HashMapGCounter hashMapB;
    HashMapGCounter hashMapInto;

    @Setup(Level.Trial)
    public void setUp() {
      gcounterA = new GCounter();
      gcounterB = new GCounter();
      hashMapA = new HashMapGCounter();
      hashMapB = new HashMapGCounter();
      for (int i = 0; i < JOIN_AGENTS; i++) {
        long a = i % 2 == 0 ? 2 : 1;
        long b = 3 - a;
        gcounterA.increment(agentId(i), a);
        hashMapA.increment(agentId(i), a);
        gcounterB.increment(agentId(i), b);
        hashMapB.increment(agentId(i), b);
      }
    }

    @Setup(Level.Invocation)
    public void freshCopies() {
      gcounterInto = gcounterA.copy();
      hashMapInto = hashMapA.copy();
    }

    @TearDown(Level.Invocation)
    public void closeCopy() {
      gcounterInto.close();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      gcounterA.close();
      gcounterB.close();
    }
  }

  /** One 100,000-agent counter and its JSON. */
  @State(Scope.Thread)
  public static class Documents {
    GCounter gcounter;
    HashMapGCounter hashMap;
    String json;

    @Setup
    public void setUp() {
      gcounter = new GCounter();
      hashMap = new HashMapGCounter();
      for (int i = 0; i < JOIN_AGENTS; i++) {
        gcounter.increment(agentId(i), i + 1);
        hashMap.increment(agentId(i), i + 1);
      }
      json = gcounter.toJson();
    }

    @TearDown
    public void tearDown() {
      gcounter.close();
    }
  }

  @Benchmark
  public void gcounterIncrement1kAgents(Increments state) {
    state.gcounter.increment(state.nextAgent(), 1);
  }

  @Benchmark
  public void hashMapIncrement1kAgents(Increments state) {
    state.hashMap.increment(state.nextAgent(), 1);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public GCounter gcounterJoin100kAgents(Joins state) {
    state.gcounterInto.join(state.gcounterB);
    return state.gcounterInto;
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public HashMapGCounter hashMapJoin100kAgents(Joins state) {
    state.hashMapInto.join(state.hashMapB);
    return state.hashMapInto;
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String gcounterToJson100kAgents(Documents state) {
    return state.gcounter.toJson();
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String hashMapToJson100kAgents(Documents state) {
    return state.hashMap.toJson();
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public long gcounterFromJson100kAgents(Documents state) {
    try (GCounter parsed = GCounter.fromJson(state.json)) {
      return parsed.agentCount();
    }
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public long hashMapFromJson100kAgents(Documents state) {
    return HashMapGCounter.fromJson(state.json).value();
  }
}
