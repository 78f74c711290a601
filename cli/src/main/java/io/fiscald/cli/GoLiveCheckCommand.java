package io.fiscald.cli;

import io.fiscald.agent.device.DataDirectory;
import io.fiscald.agent.env.GoLiveCheck;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fiscalctl golive-check}: the pre-production routine on the sandbox device (docs/ENVIRONMENTS.md). */
@Command(name = "golive-check", mixinStandardHelpOptions = true,
    description = {"Run the pre-production routine on the sandbox device and print each step with pass/fail and",
        "its reason: the test day closed (closed now unless --skip-close), at least N receipts accepted by the",
        "authority, the audit, config check with the production rules, the certificate valid for 30 more days",
        "(ZIMRA) or the device initialised (KRA), the clock within alert.max-clock-drift of the authority's, and",
        "a backup that restores into a scratch directory and passes the audit. Exit 0 only if every step passes,",
        "so it can gate a deployment script. fiscald must be stopped (the check opens the device).", "",
        "Examples:", "  fiscalctl --env sandbox golive-check --min-receipts 20",
        "  fiscalctl golive-check --skip-close --json"})
final class GoLiveCheckCommand extends BaseCommand {
  @Option(names = "--min-receipts", defaultValue = "1", paramLabel = "N",
      description = "Receipts the authority must have accepted (default: ${DEFAULT-VALUE}).")
  int minReceipts;

  @Option(names = "--skip-close", description = "Do not close an open day (the day step then fails).")
  boolean skipClose;

  @Override
  int run() {
    DataDirectory dir = initialisedDataDirectory();
    List<GoLiveCheck.Step> steps = GoLiveCheck.run(dir, DataDirectory.base(root().dataDir, env()), config(), env(),
        new GoLiveCheck.Options(Math.max(0, minReceipts), skipClose), Clock.systemUTC());
    boolean passed = steps.stream().allMatch(GoLiveCheck.Step::passed);
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("passed", passed);
    doc.put("dataDir", dir.root().toString());
    doc.put("steps", steps);
    StringBuilder text = new StringBuilder("go-live check of " + dir.root() + "\n");
    for (GoLiveCheck.Step s : steps) {
      text.append(s.passed() ? "  PASS  " : "  FAIL  ").append(String.format("%-18s", s.name())).append(s.detail())
          .append('\n');
    }
    text.append(passed ? "All steps passed: ready for fiscalctl env switch production."
        : "Not ready: fix the failed steps and run the check again.");
    result(doc, text.toString());
    return passed ? 0 : 1;
  }
}
