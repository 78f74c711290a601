package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.fiscald.agent.Agent;
import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import io.fiscald.agent.device.DataDirectory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fiscal day from the command line, and the single-writer lock against a second process. */
class DayCliTest {
  @TempDir Path tmp;

  @Test
  void openReportCloseAndOpenAgain() {
    String d = tmp.resolve("shop").toString();
    Cli.run("--data-dir", d, "init").ok();
    assertThat(Cli.run("--data-dir", d, "day", "status", "--json").ok().json().path("status").asText())
        .isEqualTo("NONE");

    JsonNode opened = Cli.run("--data-dir", d, "day", "open", "--json").ok().json();
    assertThat(opened.path("status").asText()).isEqualTo("OPEN");
    assertThat(opened.path("dayNo").asLong()).isEqualTo(1);
    JsonNode status = Cli.run("--data-dir", d, "day", "status", "--json").ok().json();
    assertThat(status.path("status").asText()).isEqualTo("OPEN");
    assertThat(status.path("dayNo").asLong()).isEqualTo(1);

    Cli.run("--data-dir", d, "receipt", "issue", "--file", Cli.example("receipt-request.json").toString(),
        "--repeat", "3").ok();
    JsonNode x = Cli.run("--data-dir", d, "day", "x-report", "--json").ok().json();
    assertThat(x.path("kind").asText()).isEqualTo("X");
    assertThat(x.path("receiptCount").asLong()).isEqualTo(3);
    assertThat(x.path("closedAt").isNull()).isTrue();
    Cli.Result xText = Cli.run("--data-dir", d, "day", "x-report").ok();
    assertThat(xText.stdout()).contains("X REPORT");
    assertThat(xText.stdout().lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(48));
    assertThat(Cli.run("--data-dir", d, "day", "status", "--json").ok().json().path("status").asText())
        .as("an X report leaves the day open").isEqualTo("OPEN");

    JsonNode z = Cli.run("--data-dir", d, "day", "close", "--json").ok().json();
    assertThat(z.path("kind").asText()).isEqualTo("Z");
    assertThat(z.path("receiptCount").asLong()).isEqualTo(3);
    assertThat(z.path("dayNo").asLong()).isEqualTo(1);
    assertThat(z.path("closedAt").asText()).isNotBlank();
    assertThat(z.path("currencies").get(0).path("totalMinor").asLong()).isEqualTo(3 * 104400);
    JsonNode closed = Cli.run("--data-dir", d, "day", "status", "--json").ok().json();
    assertThat(closed.path("status").asText()).isEqualTo("CLOSED");
    assertThat(closed.path("receipts").asLong()).isEqualTo(3);

    JsonNode second = Cli.run("--data-dir", d, "day", "open", "--json").ok().json();
    assertThat(second.path("dayNo").asLong()).isEqualTo(2);
    long[] before = Cli.headAndReceipts(tmp.resolve("shop"));
    JsonNode twice = Cli.run("--data-dir", d, "day", "open", "--json").error(2, "DAY_ALREADY_OPEN");
    assertThat(twice.path("message").asText()).isNotBlank();
    assertThat(Cli.headAndReceipts(tmp.resolve("shop"))).containsExactly(before);
    assertThat(Cli.run("--data-dir", d, "audit", "verify", "--json").ok().json().path("ok").asBoolean()).isTrue();
  }

  @Test
  void aSecondWriterIsToldWhoHoldsTheDataDirectory() throws Exception {
    Path data = tmp.resolve("shop");
    String d = data.toString();
    Cli.runWithKeyFile(tmp.resolve("setup"), "--data-dir", d, "init").ok();
    Cli.runWithKeyFile(tmp.resolve("setup"), "--data-dir", d, "day", "open").ok();
    Path request = Cli.example("receipt-request.json");

    Process child = ChildJvm.start(tmp, "--data-dir", d, "receipt", "issue", "--file", request.toString(),
        "--repeat", "100000000", "--concurrency", "4");
    try {
      BufferedReader childOut = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String first = childOut.readLine(); // printed after its commit: the child holds the lock now
      assertThat(first).as("child's first receipt; its stderr: %s", childStderr()).isNotNull();
      assertThat(Cli.JSON.readTree(first).path("receiptNumber").asText()).startsWith("INV-");

      JsonNode locked = Cli.run("--data-dir", d, "day", "close", "--json").error(1, "DATA_DIR_LOCKED");
      assertThat(locked.path("message").asText()).contains("pid " + child.pid());
      assertThat(locked.path("details").path("holder").asText()).isEqualTo("pid " + child.pid());
      Cli.Result lockedText = Cli.run("--data-dir", d, "day", "close").exits(1);
      assertThat(lockedText.stdout()).isEmpty();
      assertThat(lockedText.stderr()).contains("pid " + child.pid()).contains("[DATA_DIR_LOCKED]");
      assertThat(child.isAlive()).as("the child was still writing while we were refused").isTrue();
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    JsonNode audit = Cli.run("--data-dir", d, "audit", "verify", "--json").ok().json();
    assertThat(audit.path("ok").asBoolean()).isTrue();
    assertThat(audit.path("receipts").asLong()).isPositive();
    // the kernel released the dead child's lock: this process may write now
    JsonNode z = Cli.runWithKeyFile(tmp.resolve("setup"), "--data-dir", d, "day", "close", "--json").ok().json();
    assertThat(z.path("kind").asText()).isEqualTo("Z");
    assertThat(z.path("receiptCount").asLong()).isEqualTo(audit.path("receipts").asLong());
  }

  /**
   * An Error on the single writer's thread (out of memory, a class file replaced under a running
   * agent) must fail the waiting command, not leave {@code day open} waiting forever; and the
   * device is untouched by it.
   */
  @Test
  void aWriterThatDiesFailsItsCallersInsteadOfHangingThem() throws Exception {
    Path data = tmp.resolve("shop");
    Cli.runWithKeyFile(tmp.resolve("setup"), "--data-dir", data.toString(), "init").ok();
    long[] before = Cli.headAndReceipts(data);
    Clock broken = new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        throw new NoClassDefFoundError("simulated: a class file replaced under the running agent");
      }
    };
    // the agent and its lock belong to the worker thread; the timeout only guards against a hang
    FiscalException refused = CompletableFuture.supplyAsync(() -> {
      try (Agent agent = Agent.open(new DataDirectory(data), System.getenv(), broken)) {
        FiscalException e = catchThrowableOfType(FiscalException.class, () -> agent.core().openDay());
        FiscalException after = catchThrowableOfType(FiscalException.class, () -> agent.core().openDay());
        assertThat(after).as("a command after the writer stopped").isNotNull();
        return e;
      }
    }).get(60, TimeUnit.SECONDS);
    assertThat(refused).isNotNull();
    assertThat(refused.code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(refused.getMessage()).contains("simulated");
    assertThat(Cli.headAndReceipts(data)).containsExactly(before);
    assertThat(Cli.run("--data-dir", data.toString(), "day", "status", "--json").ok().json().path("status").asText())
        .isEqualTo("NONE");
    Cli.runWithKeyFile(tmp.resolve("setup"), "--data-dir", data.toString(), "day", "open").ok();
  }

  private String childStderr() {
    try {
      return Files.readString(tmp.resolve("child-stderr.log"));
    } catch (java.io.IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
