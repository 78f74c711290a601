package io.fiscald.bench.jmh;

import io.fiscald.agent.Agent;
import io.fiscald.agent.core.FiscalCore;
import io.fiscald.agent.core.IssuedReceipt;
import io.fiscald.agent.receipt.ReceiptRequest;
import io.fiscald.bench.core.BenchDevice;
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
 * Durable receipts per second: {@link FiscalCore#issue} from 32 threads on a real data directory in
 * a temporary folder (each call returns after its group's COMMIT).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Threads(32)
@Fork(1)
public class CoreThroughputBench {
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
  public IssuedReceipt issue() {
    return core.issue(request);
  }
}
