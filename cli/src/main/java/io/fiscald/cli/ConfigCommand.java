package io.fiscald.cli;

import io.fiscald.agent.config.ConfigCheck;
import io.fiscald.agent.config.ConfigFinding;
import io.fiscald.agent.config.ConfigKey;
import io.fiscald.agent.config.ConfigKeys;
import io.fiscald.agent.config.ConfigReference;
import io.fiscald.agent.config.FiscaldConfig;
import io.fiscald.agent.device.DataDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fiscalctl config}: the configuration in effect, a template, and its check. */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = {"The configuration file fiscald.conf (docs/CONFIG.md): found at --config, else $FISCALD_CONFIG,",
        "else <data-dir>/fiscald.conf; no file means defaults."},
    subcommands = {ConfigCommand.Show.class, ConfigCommand.Template.class, ConfigCommand.Check.class})
final class ConfigCommand {
  /** {@code config show}. */
  @Command(name = "show", mixinStandardHelpOptions = true,
      description = {"Print every setting in effect and where it comes from (file line, environment, default);",
          "secrets are shown as [REDACTED].", "", "Example:", "  fiscalctl config show --json"})
  static final class Show extends BaseCommand {
    @Override
    int run() {
      FiscaldConfig config = config();
      List<Map<String, Object>> keys = new ArrayList<>();
      StringBuilder text = new StringBuilder("# " + describe(config) + "\n");
      for (ConfigKey k : ConfigKeys.ALL) {
        Object value = k.secret() ? (config.secret(k).isPresent() ? "[REDACTED]" : null)
            : config.value(k).map(v -> v instanceof java.time.Duration ? config.file().entry(k)
                .map(e -> (Object) e.text()).orElse(k.defaultValue()) : v).orElse(null);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("key", k.name());
        row.put("value", value == null ? null : value.toString());
        row.put("source", config.source(k));
        row.put("secret", k.secret());
        keys.add(row);
        text.append(k.name()).append(" = ").append(value == null ? "" : value).append("   # ")
            .append(config.source(k)).append('\n');
      }
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("file", config.file().path().map(Path::toString).orElse(null));
      doc.put("keys", keys);
      result(doc, text.toString());
      return 0;
    }
  }

  /** {@code config template}. */
  @Command(name = "template", mixinStandardHelpOptions = true,
      description = {"Print a fiscald.conf with every key commented out at its default.", "", "Example:",
          "  fiscalctl config template > /etc/fiscald/fiscald.conf"})
  static final class Template extends BaseCommand {
    @Override
    int run() {
      result(Map.of("template", ConfigReference.template()), ConfigReference.template());
      return 0;
    }
  }

  /** {@code config check}. */
  @Command(name = "check", mixinStandardHelpOptions = true,
      description = {"Validate the configuration and list every finding (key, line, problem, fix): malformed or",
          "unknown lines, bad values, secrets written in the file, key files readable by others, a non-loopback",
          "api.listen without api.allow-remote, short webhook secrets; with --production also test mode, a missing",
          "master key and non-HTTPS or sandbox authority URLs of production devices. Exit 0 only when clean.", "",
          "Examples:", "  fiscalctl config check", "  fiscalctl config check --production --json"})
  static final class Check extends BaseCommand {
    @Option(names = "--production", description = "Also apply the rules for a production till.")
    boolean production;

    @Override
    int run() {
      Path file = Path.of(env().get(FiscaldConfig.ENV_CONFIG));
      FiscaldConfig config = FiscaldConfig.read(file, env());
      List<ConfigFinding> findings = ConfigCheck.run(config, DataDirectory.base(root().dataDir, env()), production);
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("ok", findings.isEmpty());
      doc.put("file", Files.isRegularFile(file) ? file.toString() : null);
      doc.put("production", production);
      doc.put("findings", findings);
      StringBuilder text = new StringBuilder(describe(config) + (production ? ", production rules" : "") + ": ");
      text.append(findings.isEmpty() ? "clean" : findings.size() + " finding" + (findings.size() == 1 ? "" : "s"))
          .append('\n');
      for (ConfigFinding f : findings) {
        text.append("  ").append(f.line() > 0 ? "line " + f.line() + ": " : "").append(f.key()).append(": ")
            .append(f.problem()).append("\n      fix: ").append(f.fix()).append('\n');
      }
      result(doc, text.toString());
      return findings.isEmpty() ? 0 : 1;
    }
  }

  static String describe(FiscaldConfig config) {
    return config.file().path().map(p -> "configuration " + p).orElse("no configuration file (defaults)");
  }
}
