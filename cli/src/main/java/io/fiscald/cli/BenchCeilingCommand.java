package io.fiscald.cli;

import io.fiscald.agent.Agent;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.bench.harness.BenchDevice;
import io.fiscald.bench.core.Ceilings;
import io.fiscald.bench.core.Machine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fiscalctl bench ceiling}: the raw signing and durable-commit rates of this machine. */
@Command(name = "ceiling", mixinStandardHelpOptions = true,
    description = {"Measure the two rates no receipt can beat here: signing with a device key (EC P-256, one",
        "thread and one per core) and durable SQLite commits (WAL, synchronous=FULL, one small row each).",
        "Uses a scratch device; touches no data directory.", "", "Example:",
        "  fiscalctl bench ceiling --seconds 5"})
final class BenchCeilingCommand extends BaseCommand {
  @Option(names = "--seconds", defaultValue = "3", paramLabel = "S", description = "Time per rate (default 3).")
  int seconds;

  @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the scratch device and database go "
      + "(default: a temporary directory, removed afterwards). Put it on the disk you want to measure.")
  Path workDir;

  @Override
  int run() throws Exception {
    if (seconds < 1) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "--seconds must be at least 1");
    }
    try (BenchScratch scratch = BenchScratch.of(workDir, "fiscald-bench-ceiling-")) {
      BenchDevice device = BenchDevice.create(scratch.dir().resolve("data"));
      Ceilings.Result r;
      try (Agent agent = device.open()) {
        r = Ceilings.measure(agent.signer(), scratch.dir().resolve("commits"), Duration.ofSeconds(seconds));
      }
      Machine machine = Machine.now();
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("ceilings", r);
      view.put("machine", machine);
      result(view, r.figures().row("machine", machine.cores() + " cores, load " + machine.loadAverage()
          + ", JIT " + machine.jit() + ", Java " + machine.javaVersion()).toString());
    }
    return 0;
  }
}
