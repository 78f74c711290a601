package io.fiscald.store;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirLockTest {

  private static final long PID = ProcessHandle.current().pid();

  @TempDir Path dir;

  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void killChildren() throws InterruptedException {
    for (Process p : children) {
      p.destroyForcibly();
      p.waitFor();
    }
  }

  /** A child JVM running {@link LockProbe} on {@code dataDir}. */
  private Process probe(Path dataDir, String mode) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath = System.getProperty("java.class.path");
    Process p = new ProcessBuilder(java, "-cp", classPath, LockProbe.class.getName(), dataDir.toString(), mode)
        .redirectErrorStream(true)
        .start();
    children.add(p);
    return p;
  }

  private static String firstLine(Process p) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), UTF_8));
    String line = out.readLine();
    assertThat(line).as("child's first line").isNotNull();
    return line;
  }

  /** Output of a {@code try} probe, which exits by itself. */
  private String tryInChild(Path dataDir) throws Exception {
    Process p = probe(dataDir, "try");
    String line = firstLine(p);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("probe exited").isTrue();
    assertThat(p.exitValue()).isZero();
    return line;
  }

  @Test
  void secondAcquireInTheSameJvmIsRefusedNamingTheHolder() {
    Path data = dir.resolve("data");
    try (DataDirLock lock = DataDirLock.acquire(data)) {
      assertThat(data.resolve(DataDirLock.FILE_NAME)).isRegularFile();

      assertThatThrownBy(() -> DataDirLock.acquire(data))
          .isInstanceOfSatisfying(DataDirLockedException.class, e -> {
            assertThat(e.lockFile()).isEqualTo(data.resolve(DataDirLock.FILE_NAME));
            assertThat(e.holder()).isEqualTo("pid " + PID);
          })
          .hasMessageContaining(data.toString())
          .hasMessageContaining("pid " + PID);
    }
  }

  @Test
  void lockFileNamesTheHoldingPid() throws IOException {
    try (DataDirLock lock = DataDirLock.acquire(dir)) {
      assertThat(Files.readString(dir.resolve(DataDirLock.FILE_NAME), US_ASCII)).isEqualTo("pid " + PID + "\n");
    }
  }

  @Test
  void closingReleasesTheLockForTheNextAcquire() {
    DataDirLock first = DataDirLock.acquire(dir);
    first.close();

    try (DataDirLock second = DataDirLock.acquire(dir)) {
      assertThatThrownBy(() -> DataDirLock.acquire(dir)).isInstanceOf(DataDirLockedException.class);
    }
    DataDirLock.acquire(dir).close();
  }

  @Test
  void closingTwiceDoesNotReleaseSomeoneElsesLock() throws Exception {
    DataDirLock first = DataDirLock.acquire(dir);
    first.close();
    try (DataDirLock second = DataDirLock.acquire(dir)) {
      first.close();

      assertThatThrownBy(() -> DataDirLock.acquire(dir)).isInstanceOf(DataDirLockedException.class);
      assertThat(tryInChild(dir)).startsWith("LOCKED");
    }
  }

  @Test
  void anotherProcessCannotTakeAHeldLockAndCanOnceReleased() throws Exception {
    try (DataDirLock lock = DataDirLock.acquire(dir)) {
      String line = tryInChild(dir);
      assertThat(line).startsWith("LOCKED").contains(dir.toString()).contains("pid " + PID);
    }
    assertThat(tryInChild(dir)).isEqualTo("ACQUIRED");
    // the child released it on exit, so it is free for us again
    DataDirLock.acquire(dir).close();
  }

  @Test
  void aRefusedSecondAcquireInTheSameJvmKeepsTheLockHeld() throws Exception {
    try (DataDirLock lock = DataDirLock.acquire(dir)) {
      // a second writer in this JVM is turned away (e.g. `fiscalctl day open` inside `demo`)...
      assertThatThrownBy(() -> DataDirLock.acquire(dir)).isInstanceOf(DataDirLockedException.class);
      assertThatThrownBy(() -> DataDirLock.acquire(dir)).isInstanceOf(DataDirLockedException.class);

      // ...and that must not have dropped the OS lock we still hold
      assertThat(tryInChild(dir)).startsWith("LOCKED");
    }
  }

  @Test
  void lockHeldByAnotherProcessIsRefusedHereNamingItsPid() throws Exception {
    Process holder = probe(dir, "hold");
    assertThat(firstLine(holder)).isEqualTo("ACQUIRED");

    assertThatThrownBy(() -> DataDirLock.acquire(dir))
        .isInstanceOfSatisfying(DataDirLockedException.class,
            e -> assertThat(e.holder()).isEqualTo("pid " + holder.pid()))
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("pid " + holder.pid());

    // a clean exit of the holder releases it
    holder.getOutputStream().close();
    assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
    DataDirLock.acquire(dir).close();
  }

  @Test
  void lockOfAKilledProcessIsReleasedByTheKernel() throws Exception {
    Process holder = probe(dir, "hold");
    assertThat(firstLine(holder)).isEqualTo("ACQUIRED");
    assertThatThrownBy(() -> DataDirLock.acquire(dir)).isInstanceOf(DataDirLockedException.class);

    holder.destroyForcibly(); // SIGKILL: no finally, no shutdown hook
    assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(holder.exitValue()).isNotZero();

    // the stale file is still there, naming the dead pid, but the lock is gone
    assertThat(Files.readString(dir.resolve(DataDirLock.FILE_NAME), US_ASCII)).contains("pid " + holder.pid());
    try (DataDirLock lock = DataDirLock.acquire(dir)) {
      assertThat(Files.readString(dir.resolve(DataDirLock.FILE_NAME), US_ASCII)).isEqualTo("pid " + PID + "\n");
    }
  }

  @Test
  void differentDirectoriesAreIndependent() {
    try (DataDirLock a = DataDirLock.acquire(dir.resolve("a"));
        DataDirLock b = DataDirLock.acquire(dir.resolve("b"))) {
      assertThat(dir.resolve("a").resolve(DataDirLock.FILE_NAME)).exists();
      assertThat(dir.resolve("b").resolve(DataDirLock.FILE_NAME)).exists();
    }
  }

  @Test
  void theSameDirectorySpelledDifferentlyIsStillLocked() throws IOException {
    Path data = Files.createDirectories(dir.resolve("data"));
    try (DataDirLock lock = DataDirLock.acquire(data)) {
      assertThatThrownBy(() -> DataDirLock.acquire(dir.resolve("data/../data/.")))
          .isInstanceOf(DataDirLockedException.class);
    }
  }
}
