package io.fiscald.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs fiscalctl in this JVM ({@link Main#run}) with standard output and standard error captured,
 * or in a child JVM ({@link ChildJvm}) where the environment matters.
 */
final class Cli {
  static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Cli() {}

  /** What one fiscalctl invocation did. */
  record Result(int exitCode, String stdout, String stderr) {
    /** The whole of standard output as exactly one JSON document (trailing content fails). */
    JsonNode json() {
      try {
        return JSON.readTree(stdout);
      } catch (IOException e) {
        throw new AssertionError("stdout is not one JSON document: " + e.getMessage() + "\n--- stdout:\n" + stdout
            + "\n--- stderr:\n" + stderr, e);
      }
    }

    /** Standard output as JSON Lines, one document per non-empty line. */
    List<JsonNode> jsonLines() {
      List<JsonNode> out = new ArrayList<>();
      for (String line : stdout.split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        try {
          out.add(JSON.readTree(line));
        } catch (IOException e) {
          throw new AssertionError("not a JSON line: " + line, e);
        }
      }
      return out;
    }

    /** Asserts the exit code, showing both streams when it is wrong. */
    Result exits(int expected) {
      assertThat(exitCode).as("exit code; stdout:%n%s%nstderr:%n%s", stdout, stderr).isEqualTo(expected);
      return this;
    }

    Result ok() {
      return exits(0);
    }

    /** With --json: the error document of the design, with {@code code}; returns the error node. */
    JsonNode error(int expectedExit, String code) {
      exits(expectedExit);
      JsonNode doc = json();
      assertThat(doc.size()).as("only the error member: %s", doc).isEqualTo(1);
      JsonNode error = doc.get("error");
      assertThat(error).as("error member in %s", doc).isNotNull();
      assertThat(error.path("code").asText()).as("error code in %s", doc).isEqualTo(code);
      assertThat(error.path("message").isTextual()).as("message in %s", doc).isTrue();
      assertThat(error.path("message").asText()).isNotBlank();
      assertThat(error.path("details").isObject()).as("details object in %s", doc).isTrue();
      return error;
    }
  }

  /** Runs {@code fiscalctl args} in this JVM. Invocations are serialised: System.out/err are global. */
  static synchronized Result run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      System.setOut(o);
      System.setErr(e);
      try {
        code = Main.run(args);
      } finally {
        System.setOut(oldOut);
        System.setErr(oldErr);
      }
    }
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * Runs {@code fiscalctl args} in a child JVM started in {@code workDir} (which must not be shared by
   * another running child): the child never sees FISCALD_MASTER_KEY, so the key file is what counts.
   */
  static Result runChild(Path workDir, String... args) {
    try {
      Files.createDirectories(workDir);
      Process p = ChildJvm.start(workDir, args);
      p.getOutputStream().close();
      byte[] stdout;
      try (InputStream in = p.getInputStream()) {
        stdout = in.readAllBytes();
      }
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child fiscalctl finished").isTrue();
      String stderr = Files.readString(workDir.resolve("child-stderr.log"), StandardCharsets.UTF_8);
      return new Result(p.exitValue(), new String(stdout, StandardCharsets.UTF_8), stderr);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * Runs {@code fiscalctl args} where the master key must come from the key file: in this JVM when
   * FISCALD_MASTER_KEY is unset (the usual case), else in a child JVM started in {@code workDir}.
   */
  static Result runWithKeyFile(Path workDir, String... args) {
    return System.getenv("FISCALD_MASTER_KEY") == null ? run(args) : runChild(workDir, args);
  }

  /** The repository root: the first directory up from here that holds docs/examples. */
  static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("docs").resolve("examples"))) {
        return p;
      }
    }
    throw new AssertionError("no docs/examples above " + dir);
  }

  static Path example(String name) {
    return repoRoot().resolve("docs").resolve("examples").resolve(name);
  }

  /** {@code status --json} of a data directory: the journal head and the receipt count. */
  static long[] headAndReceipts(Path dataDir) {
    JsonNode s = run("--data-dir", dataDir.toString(), "status", "--json").ok().json();
    return new long[] {s.path("journalHeadSeq").asLong(-1), s.path("receipts").asLong(-1)};
  }
}
