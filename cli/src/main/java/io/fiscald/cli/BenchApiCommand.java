package io.fiscald.cli;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.bench.api.ApiBench;
import io.fiscald.bench.harness.ReportTable;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fiscalctl bench api}: load the local API of a child daemon; throughput, latency, memory. */
@Command(name = "api", mixinStandardHelpOptions = true,
    description = {"Start fiscald (a child JVM with the packaged flags, packaging/jvm.flags) on a fresh device in a",
        "temporary directory and load POST /v1/receipts: first closed-loop with --clients keep-alive clients",
        "(throughput), then open-loop at --rate receipts/s (latency from each sale's intended start, so stalls",
        "are not hidden). Prints the figures of docs/PERFORMANCE.md \"Local API\".",
        "", "Examples:", "  fiscalctl bench api", "  fiscalctl bench api --clients 32 --duration 10s --rate 200 --json",
        "  fiscalctl bench api --daemon-jvm-opts '-XX:TieredStopAtLevel=4'   # the daemon with C2"})
final class BenchApiCommand extends BaseCommand {
  @Option(names = "--clients", defaultValue = "32", description = "Keep-alive clients (connections); default 32.")
  int clients;

  @Option(names = "--duration", defaultValue = "10s", converter = BenchDuration.class,
      description = "Length of each phase; default 10s.")
  Duration duration;

  @Option(names = "--rate", defaultValue = "200", description = "Receipts/s of the open-loop phase (0 skips it); "
      + "default 200.")
  double rate;

  @Option(names = "--warmup", defaultValue = "3s", converter = BenchDuration.class,
      description = "Closed-loop warm-up before measuring (not counted); default 3s.")
  Duration warmup;

  @Option(names = "--api-threads", defaultValue = "0", description = "The daemon's API threads (fiscald.conf "
      + "api.threads); default: the daemon's own default.")
  int apiThreads;

  @Option(names = "--jfr", paramLabel = "FILE", description = "Record the daemon with Java Flight Recorder (profile "
      + "settings) into FILE, to see where its time goes (jfr print / JDK Mission Control).")
  java.nio.file.Path jfr;

  @Option(names = "--daemon-jvm-opts", paramLabel = "FLAGS", description = "Extra JVM flags for the daemon, "
      + "space-separated, after the packaged ones (a later flag wins), e.g. '-XX:TieredStopAtLevel=4 -Xmx128m'.")
  String daemonJvmOpts;

  @Override
  int run() {
    if (clients < 1 || clients > 1024 || rate < 0 || duration.isZero() || duration.isNegative()) {
      throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "--clients must be 1-1024, --rate >= 0 and --duration > 0",
          Map.of());
    }
    ApiBench.Options o = ApiBench.Options.defaults().with(clients, duration, rate, warmup);
    java.util.List<String> flags = new java.util.ArrayList<>(o.jvmFlags());
    if (daemonJvmOpts != null && !daemonJvmOpts.isBlank()) {
      flags.addAll(java.util.List.of(daemonJvmOpts.strip().split("\\s+")));
    }
    if (jfr != null) {
      flags.add("-XX:StartFlightRecording=filename=" + jfr.toAbsolutePath() + ",settings=profile,dumponexit=true");
    }
    o = new ApiBench.Options(o.clients(), o.duration(), o.rate(), o.warmup(), apiThreads, flags,
        o.daemonEnv(), o.workDir());
    Map<String, Object> report = ApiBench.run(o);
    result(report, ReportTable.render("fiscalctl bench api", report));
    return 0;
  }
}
