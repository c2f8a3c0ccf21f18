package io.gcounter.bench;

import io.gcounter.GCounter;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link CounterBenchmarks} with JMH and prints, per benchmark, the median of the measured
 * iterations (each iteration is the average time of the calls made in one second).
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws RunnerException {
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(CounterBenchmarks.class.getName())
            .forks(1)
            .warmupIterations(5)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(10)
            .measurementTime(TimeValue.seconds(1));
    String libraryPath = System.getProperty("jna.library.path");
    if (libraryPath != null) {
      options.jvmArgsAppend("-Djna.library.path=" + libraryPath);
    }
    Collection<RunResult> results = new Runner(options.build()).run();

    System.out.printf("%nlibgcounter %s, Java %s%n", GCounter.libraryVersion(), Runtime.version());
    System.out.printf("%-28s %14s  %s%n", "benchmark", "median", "unit");
    for (RunResult result : results) {
      String name = result.getParams().getBenchmark();
      System.out.printf(
          Locale.ROOT,
          "%-28s %14.3f  %s%n",
          name.substring(name.lastIndexOf('.') + 1),
          result.getPrimaryResult().getStatistics().getPercentile(50),
          result.getPrimaryResult().getScoreUnit());
    }
  }
}
