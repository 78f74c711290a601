package io.fiscald.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/CONFIG.md carries the reference generated from the key registry, and the template reads back clean. */
class ConfigReferenceTest {
  static final String BEGIN = "<!-- config-keys:begin (generated from ConfigKeys; ConfigReferenceTest checks it) -->";
  static final String END = "<!-- config-keys:end -->";

  @TempDir Path tmp;

  static Path repoFile(String name) {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve(name))) {
        return p.resolve(name);
      }
    }
    throw new AssertionError("no " + name + " above " + Path.of("").toAbsolutePath());
  }

  @Test
  void docsConfigMdListsEveryKeyExactlyAsDeclared() throws Exception {
    String doc = Files.readString(repoFile("docs/CONFIG.md"), StandardCharsets.UTF_8);
    int begin = doc.indexOf(BEGIN);
    int end = doc.indexOf(END);
    assertThat(begin).as("begin marker in docs/CONFIG.md").isNotNegative();
    assertThat(end).as("end marker").isGreaterThan(begin);
    String table = doc.substring(begin + BEGIN.length(), end).strip() + "\n";
    assertThat(table).as("regenerate with ConfigReference.markdownTable()").isEqualTo(
        ConfigReference.markdownTable());
    for (ConfigKey k : ConfigKeys.ALL) {
      assertThat(table).contains("| `" + k.name() + "` |");
    }
  }

  @Test
  void theTemplateIsAValidConfigurationThatChangesNothing() throws Exception {
    Path conf = tmp.resolve("fiscald.conf");
    Files.writeString(conf, ConfigReference.template());
    FiscaldConfig c = FiscaldConfig.read(conf, Map.of());
    assertThat(c.file().problems()).isEmpty();
    assertThat(c.api()).isEqualTo(FiscaldConfig.defaults(Map.of()).api());
    // uncommenting every non-secret key with a default gives the same values, read from the file
    StringBuilder uncommented = new StringBuilder();
    for (String line : ConfigReference.template().split("\n")) {
      boolean keyLine = line.startsWith("#") && line.contains(" = ") && !line.startsWith("# ");
      if (keyLine && !line.endsWith(" = ")) {
        uncommented.append(line.substring(1)).append('\n');
      }
    }
    Files.writeString(conf, uncommented);
    FiscaldConfig all = FiscaldConfig.read(conf, Map.of());
    assertThat(all.file().problems()).isEmpty();
    assertThat(all.api()).isEqualTo(FiscaldConfig.defaults(Map.of()).api());
    List<String> fromFile = ConfigKeys.ALL.stream().filter(k -> !k.secret() && k.defaultValue() != null)
        .map(k -> all.source(k)).toList();
    assertThat(fromFile).allSatisfy(s -> assertThat(s).startsWith("file:"));
  }
}
