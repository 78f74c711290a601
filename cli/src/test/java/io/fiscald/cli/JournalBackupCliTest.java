package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.backup.BackupManager;
import io.fiscald.agent.device.DataDirectory;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The auditor's export and its offline check; verified backups, retention and restore. */
class JournalBackupCliTest {
  @TempDir Path tmp;

  private Path data;

  private Cli.Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of("--data-dir", data.toString()));
    all.addAll(List.of(args));
    return Cli.run(all.toArray(String[]::new));
  }

  private void shop(String... initOptions) {
    data = tmp.resolve("shop");
    List<String> init = new ArrayList<>(List.of("init"));
    init.addAll(List.of(initOptions));
    cli(init.toArray(String[]::new)).ok();
    cli("day", "open").ok();
  }

  private void sell(int n) {
    cli("receipt", "issue", "--file", Cli.example("receipt-request.json").toString(), "--repeat",
        Integer.toString(n)).ok();
  }

  private static List<String> backupsIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".db")).sorted().toList();
    }
  }

  @Test
  void exportVerifiesOfflineAndATamperedByteIsNamed() throws IOException {
    shop();
    sell(3);
    long head = Cli.headAndReceipts(data)[0];
    Path export = tmp.resolve("journal.jsonl");

    JsonNode exported = cli("journal", "export", "--out", export.toString(), "--json").ok().json();
    assertThat(exported.path("entries").asLong()).isEqualTo(head);
    JsonNode verified = Cli.run("journal", "verify", export.toString(), "--json").ok().json();
    assertThat(verified.path("ok").asBoolean()).isTrue();
    assertThat(verified.path("entries").asLong()).isEqualTo(head);
    assertThat(verified.path("deviceId").asText())
        .isEqualTo(cli("status", "--json").ok().json().path("deviceId").asText());

    // change one digit inside the payload of the entry with seq 4 (a receipt), keeping the JSON valid
    List<String> lines = new ArrayList<>(Files.readAllLines(export, StandardCharsets.UTF_8));
    int target = -1;
    for (int i = 1; i < lines.size(); i++) {
      if (Cli.JSON.readTree(lines.get(i)).path("seq").asLong() == 4) {
        target = i;
      }
    }
    assertThat(target).isPositive();
    String line = lines.get(target);
    int payload = line.indexOf("\"payload\"");
    assertThat(payload).isNotNegative();
    int at = payload + "\"payload\"".length();
    while (!Character.isDigit(line.charAt(at))) {
      at++;
    }
    char digit = line.charAt(at);
    lines.set(target, line.substring(0, at) + (char) (digit == '9' ? '1' : digit + 1) + line.substring(at + 1));
    Files.write(export, lines, StandardCharsets.UTF_8);
    assertThat(Cli.JSON.readTree(lines.get(target)).path("payload").asText())
        .isNotEqualTo(Cli.JSON.readTree(line).path("payload").asText());

    JsonNode failed = Cli.run("--json", "journal", "verify", export.toString()).error(1, "AUDIT_FAILED");
    assertThat(failed.path("details").path("seq").asLong()).isEqualTo(4);
    assertThat(failed.path("message").asText()).contains("4");
    Cli.Result failedText = Cli.run("journal", "verify", export.toString()).exits(1);
    assertThat(failedText.stdout()).isEmpty();
    assertThat(failedText.stderr()).contains("[AUDIT_FAILED]");
  }

  @Test
  void backupsAreRetainedRestoredAndATruncatedOneIsRefused() throws IOException {
    shop();
    Path out = tmp.resolve("backups");
    List<JsonNode> taken = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sell(1); // a new head seq for each backup, so names differ without waiting for the clock
      JsonNode b = cli("backup", "--output-dir", out.toString(), "--retain", "2", "--json").ok().json();
      assertThat(b.path("verified").asBoolean()).isTrue();
      assertThat(b.path("headSeq").asLong()).isEqualTo(Cli.headAndReceipts(data)[0]);
      assertThat(Path.of(b.path("file").asText())).isRegularFile();
      taken.add(b);
    }
    assertThat(taken.stream().map(b -> b.path("file").asText()).distinct()).hasSize(3);
    List<String> left = backupsIn(out);
    assertThat(left).hasSize(2);
    assertThat(left).containsExactlyInAnyOrder(
        Path.of(taken.get(1).path("file").asText()).getFileName().toString(),
        Path.of(taken.get(2).path("file").asText()).getFileName().toString());
    assertThat(taken.get(2).path("pruned")).extracting(JsonNode::asText)
        .containsExactly(taken.get(0).path("file").asText());

    // restore the newest into a fresh data directory (with the device's master key beside it)
    Path newest = Path.of(taken.get(2).path("file").asText());
    Path fresh = tmp.resolve("fresh");
    JsonNode restored = Cli.run("--data-dir", fresh.toString(), "restore", newest.toString(), "--json").ok().json();
    assertThat(restored.path("headSeq").asLong()).isEqualTo(taken.get(2).path("headSeq").asLong());
    assertThat(restored.path("deviceId").asText()).isEqualTo(taken.get(2).path("deviceId").asText());
    assertThat(restored.path("previousDatabase").isNull()).isTrue();
    JsonNode audit = Cli.run("--data-dir", fresh.toString(), "audit", "verify", "--json").ok().json();
    assertThat(audit.path("ok").asBoolean()).isTrue();
    assertThat(audit.path("headSeq").asLong()).isEqualTo(taken.get(2).path("headSeq").asLong());
    assertThat(audit.path("receipts").asLong()).isEqualTo(3);
    Files.copy(data.resolve("master.key"), fresh.resolve("master.key"), StandardCopyOption.COPY_ATTRIBUTES);
    JsonNode next = Cli.run("--data-dir", fresh.toString(), "receipt", "issue", "--file",
        Cli.example("receipt-request.json").toString()).ok().jsonLines().get(0);
    assertThat(next.path("receiptNumber").asText()).isEqualTo("INV-000004");

    // a truncated copy fails its check and changes nothing
    Path truncated = tmp.resolve("truncated.db");
    Files.copy(newest, truncated);
    try (FileChannel ch = FileChannel.open(truncated, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() / 2);
    }
    long[] before = Cli.headAndReceipts(fresh);
    JsonNode refused = Cli.run("--data-dir", fresh.toString(), "--json", "restore", truncated.toString())
        .error(1, "BACKUP_INVALID");
    assertThat(refused.path("message").asText()).contains("truncated.db");
    assertThat(Cli.headAndReceipts(fresh)).containsExactly(before);
    Path empty = tmp.resolve("empty");
    Cli.run("--data-dir", empty.toString(), "--json", "restore", truncated.toString()).error(1, "BACKUP_INVALID");
    assertThat(empty.resolve("fiscald.db")).doesNotExist();
  }

  @Test
  void twoBackupsInTheSameSecondBothExist() throws IOException {
    shop();
    Path out = tmp.resolve("backups");
    // nothing happens between the two: same head seq, most likely the same second
    JsonNode a = cli("backup", "--output-dir", out.toString(), "--json").ok().json();
    JsonNode b = cli("backup", "--output-dir", out.toString(), "--json").ok().json();
    assertThat(a.path("file").asText()).isNotEqualTo(b.path("file").asText());
    assertThat(backupsIn(out)).hasSize(2);
  }

  @Test
  void retentionKeepsTheNewestBackupsEvenWithinOneSecond() throws IOException {
    shop(); // seq 1 init, seq 2 day open
    sell(7); // head seq 9
    Path out = tmp.resolve("backups");
    DataDirectory dir = new DataDirectory(data);
    Clock sameSecond = Clock.fixed(Instant.parse("2026-11-24T08:15:00Z"), ZoneOffset.UTC);
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 3; i++) { // seq 9, 10, 11: "seq10" sorts before "seq9" as text
      files.add(BackupManager.create(dir, out, 2, sameSecond).file());
      sell(1);
    }
    assertThat(backupsIn(out)).containsExactlyInAnyOrder(files.get(1).getFileName().toString(),
        files.get(2).getFileName().toString());

    // the same second and the same head seq again: a distinct file, not a failure
    BackupManager.Backup again = BackupManager.create(dir, out, 0, sameSecond);
    BackupManager.Backup andAgain = BackupManager.create(dir, out, 3, sameSecond);
    assertThat(again.file()).isNotEqualTo(andAgain.file());
    assertThat(backupsIn(out)).hasSize(3).contains(again.file().getFileName().toString(),
        andAgain.file().getFileName().toString());
    assertThat(andAgain.pruned()).containsExactly(files.get(1));
  }

  @Test
  void retentionNeverTouchesAnotherDevicesBackups() throws IOException {
    Path out = tmp.resolve("backups");
    data = tmp.resolve("shop7");
    cli("init", "--device-id", "SHOP-7").ok();
    JsonNode other = cli("backup", "--output-dir", out.toString(), "--json").ok().json();
    data = tmp.resolve("shop");
    cli("init", "--device-id", "SHOP").ok();
    JsonNode mine = cli("backup", "--output-dir", out.toString(), "--retain", "1", "--json").ok().json();
    assertThat(mine.path("pruned")).isEmpty();
    assertThat(Path.of(mine.path("file").asText())).isRegularFile();
    assertThat(Path.of(other.path("file").asText())).as("SHOP-7's backup").isRegularFile();
  }
}
