package io.gcounter.bench;

import io.gcounter.GCounter;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link CounterBenchmarks} with JMH and prints, per benchmark, the median of the measured
 * iterations (each iteration is the average time of the calls made in one second), then, on Java
 * 22 and later, the goal for increments: through java.lang.foreign, at most {@value #GOAL} times
 * the {@code HashMap} G-Counter's. Argument: a regular expression of the cases to run (all if
 * absent or empty).
 */
public final class BenchMain {
  static final double GOAL = 3.0;

  private BenchMain() {}

  public static void main(String[] args) throws RunnerException {
    String cases = args.length > 0 && !args[0].isEmpty() ? args[0] : "";
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(CounterBenchmarks.class.getName() + (cases.isEmpty() ? "" : ".*" + cases))
            .forks(1)
            .warmupIterations(5)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(10)
            .measurementTime(TimeValue.seconds(1))
            .jvmArgsAppend("--enable-native-access=ALL-UNNAMED");
    for (String property : new String[] {"jna.library.path", "gcounter.native"}) {
      String value = System.getProperty(property);
      if (value != null) {
        options.jvmArgsAppend("-D" + property + "=" + value);
      }
    }
    Collection<RunResult> results = new Runner(options.build()).run();

    System.out.printf(
        "%nlibgcounter %s through %s, Java %s%n",
        GCounter.libraryVersion(), GCounter.nativeAccess(), Runtime.version());
    System.out.printf("%-28s %14s  %s%n", "benchmark", "median", "unit");
    Map<String, Double> medians = new HashMap<>();
    for (RunResult result : results) {
      String name = result.getParams().getBenchmark();
      name = name.substring(name.lastIndexOf('.') + 1);
      double median = result.getPrimaryResult().getStatistics().getPercentile(50);
      medians.put(name, median);
      System.out.printf(
          Locale.ROOT, "%-28s %14.3f  %s%n", name, median, result.getPrimaryResult().getScoreUnit());
    }
    printIncrementGoal(medians);
  }

  /** The goal holds for java.lang.foreign only; through JNA the figures are for comparison. */
  private static void printIncrementGoal(Map<String, Double> medians) {
    Double binding = medians.get("gcounterIncrement1kAgents");
    Double hashMap = medians.get("hashMapIncrement1kAgents");
    if (binding == null || hashMap == null || !GCounter.nativeAccess().equals("java.lang.foreign")) {
      return;
    }
    double ratio = binding / hashMap;
    System.out.printf(
        Locale.ROOT,
        "goal: increment through java.lang.foreign <= %.0fx the HashMap G-Counter: %.1f ns / %.1f ns"
            + " = %.2fx, %s%n",
        GOAL, binding, hashMap, ratio, ratio <= GOAL ? "met" : "NOT met");
  }
}
