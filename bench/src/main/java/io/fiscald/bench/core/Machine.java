package io.fiscald.bench.core;

import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Where a figure was taken: cores, the load average at the time (other work on the machine skews
 * every number) and whether the JIT could use C2 (the packaged flags stop at C1, which makes
 * signing several times slower).
 */
public record Machine(int cores, double loadAverage, String jit, String javaVersion) {
  public static Machine now() {
    List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
    String jit = args.stream().anyMatch(a -> a.startsWith("-XX:TieredStopAtLevel=") && !a.endsWith("=4"))
        ? "C1 only (" + args.stream().filter(a -> a.startsWith("-XX:TieredStopAtLevel=")).findFirst().get() + ")"
        : "C1+C2";
    return new Machine(Runtime.getRuntime().availableProcessors(),
        Math.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() * 100) / 100.0, jit,
        System.getProperty("java.version"));
  }
}
