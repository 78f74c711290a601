package io.fiscald.bench.jmh;

import io.fiscald.agent.Agent;
import io.fiscald.agent.core.FiscalCore;
import io.fiscald.agent.core.IssuedReceipt;
import io.fiscald.agent.receipt.ReceiptRequest;
import io.fiscald.bench.harness.BenchDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link FiscalCore#issue} on a real data directory in a temporary folder (each call returns after its
 * group's COMMIT): durable receipts per second from 32 threads, and the latency of one receipt at a time on
 * an otherwise idle agent. Each benchmark is its own trial, so each gets a fresh device.
 */
@State(Scope.Benchmark)
@Fork(1)
public class CoreIssueBench {
  private Path dir;
  private Agent agent;
  private FiscalCore core;
  private ReceiptRequest request;

  @Setup
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("fiscald-jmh-core-");
    agent = BenchDevice.create(dir.resolve("data")).open();
    core = agent.core();
    core.openDay();
    request = BenchDevice.exampleRequest();
  }

  @TearDown
  public void tearDown() throws Exception {
    agent.close();
    Scratch.delete(dir);
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Warmup(iterations = 3, time = 3)
  @Measurement(iterations = 5, time = 3)
  @Threads(32)
  public IssuedReceipt throughput32() {
    return core.issue(request);
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  @Threads(1)
  public IssuedReceipt singleReceiptLatency() {
    return core.issue(request);
  }
}
