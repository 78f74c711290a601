package io.fiscald.bench.jmh;

import io.fiscald.agent.Agent;
import io.fiscald.bench.harness.BenchDevice;
import io.fiscald.hal.sign.Signer;
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
import org.openjdk.jmh.annotations.Warmup;

/** Signatures per second with a device key (software EC P-256, as sealed by {@code fiscalctl init}). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SigningBench {
  private Path dir;
  private Agent agent;
  private Signer signer;
  private final byte[] hash = new byte[32];

  @Setup
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("fiscald-jmh-sign-");
    agent = BenchDevice.create(dir.resolve("data")).open();
    signer = agent.signer();
  }

  @TearDown
  public void tearDown() throws Exception {
    agent.close();
    Scratch.delete(dir);
  }

  @Benchmark
  public byte[] sign() {
    hash[0]++;
    return signer.sign(hash);
  }
}
