package io.fiscald.bench.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The daemon's CPU by thread group, read from /proc: a thread that burns CPU is charged to its group. */
class ThreadCpuTest {
  @Test
  void aBusyThreadIsChargedToItsGroupPerUnit() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux /proc needed");
    long pid = ProcessHandle.current().pid();
    ThreadCpu before = ThreadCpu.of(pid);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    AtomicLong sink = new AtomicLong();
    Thread alive = new Thread(() -> {
      long id = Thread.currentThread().getId();
      long x = 0;
      while (mx.getThreadCpuTime(id) < 200_000_000L) {
        for (int i = 0; i < 100_000; i++) {
          x += i * 31L ^ x;
        }
      }
      sink.set(x);
      synchronized (sink) {
        try {
          sink.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }, "cpu-burner-12");
    alive.setDaemon(true);
    alive.start();
    while (mx.getThreadCpuTime(alive.getId()) < 200_000_000L) {
      Thread.sleep(10);
    }
    Map<String, Double> perUnit = ThreadCpu.of(pid).perUnitSince(before, 10);
    synchronized (sink) {
      sink.notifyAll();
    }
    assertThat(perUnit).containsKey("cpu-burner-N");
    assertThat(perUnit.get("cpu-burner-N")).as("about 200 ms over 10 units").isGreaterThanOrEqualTo(10.0);
    assertThat(perUnit.keySet()).noneMatch(k -> k.matches(".*\\d$"));
  }
}
