package io.fiscald.bench.core;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU time used by this JVM and by the fiscal core's writer thread over a run: unlike receipts/s, a
 * figure that other processes on a shared machine barely move, so old and new code compare fairly.
 */
final class CpuClock {
  private static final String WRITER = "fiscal-writer";
  private final long process;
  private final long writer;

  record Used(long processNanos, long writerNanos) {}

  private CpuClock(long process, long writer) {
    this.process = process;
    this.writer = writer;
  }

  static CpuClock start() {
    return new CpuClock(processNanos(), writerNanos());
  }

  Used stop() {
    return new Used(processNanos() - process, writerNanos() - writer);
  }

  private static long processNanos() {
    return ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime();
  }

  /** The writer's CPU time, or 0 if it is not running in this JVM. */
  private static long writerNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (WRITER.equals(t.getName())) {
        return Math.max(0, threads.getThreadCpuTime(t.getId()));
      }
    }
    return 0;
  }
}
