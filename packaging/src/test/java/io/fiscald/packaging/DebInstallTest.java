package io.fiscald.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package installed and running: its launchers from an unpacked tree ({@code dpkg -x}) against a
 * temporary data directory, and, where this machine allows it, a real {@code dpkg -i}, start, remove and
 * purge in a throwaway root.
 */
class DebInstallTest {
  @TempDir static Path tmp;
  static Path tree;

  @BeforeAll
  static void unpack() throws Exception {
    assumeTrue(BuiltDeb.dpkgAvailable(), "dpkg-deb is not installed: the package tests need a Debian system");
    tree = BuiltDeb.extract(Files.createDirectories(tmp.resolve("root")));
  }

  /** The launchers' environment: Java from the PATH only, no secrets file, never a user switch. */
  private static Map<String, String> launcherEnv(Path dataDir) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("JAVA_HOME", "");
    env.put("FISCALD_DATA_DIR", dataDir.toString());
    env.put("FISCALD_ENV_FILE", tmp.resolve("no-such-file.env").toString());
    env.put("FISCALD_USER", "root");
    env.put("FISCALD_MASTER_KEY", null);
    env.put("FISCALD_MASTER_KEY_FILE", null);
    env.put("FISCALD_CONFIG", null);
    return env;
  }

  @Test
  void unpackedLaunchersInitServeAndStopWithStatus143() throws Exception {
    Path data = tmp.resolve("data");
    Map<String, String> env = launcherEnv(data);
    // the shipped configuration (comments only): whatever reads FISCALD_CONFIG must accept it
    env.put("FISCALD_CONFIG", tree.resolve("etc/fiscald/fiscald.conf").toString());
    Commands.Result init = Commands.run(Duration.ofMinutes(3), env,
        List.of(tree.resolve("usr/bin/fiscalctl").toString(), "init"));
    init.assertOk("fiscalctl init");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("master.key"))))
        .isEqualTo("rw-------");

    int port = freePort();
    ProcessBuilder pb = new ProcessBuilder(tree.resolve("usr/bin/fiscald").toString(), "--listen", "127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(tmp.resolve("serve.log").toFile());
    env.forEach((k, v) -> {
      if (v == null) {
        pb.environment().remove(k);
      } else {
        pb.environment().put(k, v);
      }
    });
    Process daemon = pb.start();
    try {
      assertThat(awaitHealthz(port, daemon)).as(log()).contains("\"status\"").contains("alive");

      // the launchers exec the JVM (so SIGTERM reaches it) with the small-till flags and installed defaults
      String cmdline = Files.readString(Path.of("/proc", Long.toString(daemon.pid()), "cmdline")).replace('\0', ' ');
      assertThat(cmdline).contains("-XX:+UseSerialGC", "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xss512k",
          "-XX:+ExitOnOutOfMemoryError", "-jar " + tree.resolve("usr/bin/../share/fiscald/fiscald.jar").normalize(),
          " serve --listen 127.0.0.1:" + port);
      assertThat(cmdline.split(" ")[0]).isEqualTo(pathJava());
      String environ = Files.readString(Path.of("/proc", Long.toString(daemon.pid()), "environ"));
      assertThat(environ.split("\0")).contains("FISCALD_CONFIG=" + tree.resolve("etc/fiscald/fiscald.conf"),
          "FISCALD_DATA_DIR=" + data);

      daemon.destroy(); // SIGTERM
      assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
      assertThat(daemon.exitValue()).as(log()).isEqualTo(143);
      assertThat(data.resolve("daemon.json")).as("removed on a clean stop").doesNotExist();
    } finally {
      daemon.destroyForcibly();
    }
  }

  @Test
  void asRootTheLauncherTakesFiscaldSecretsFromTheEnvFile() throws Exception {
    assumeTrue(Commands.isRoot(), "not root: the launcher reads /etc/fiscald/fiscald.env only as root");
    Path envFile = tmp.resolve("fiscald.env");
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    Files.writeString(envFile, "# secrets\nFISCALD_MASTER_KEY=\"" + Base64.getEncoder().encodeToString(key)
        + "\"\nFISCALD_DATA_DIR=" + tmp.resolve("elsewhere") + "\nNOT_OURS=1\n");
    Path data = tmp.resolve("data-env");
    Map<String, String> env = launcherEnv(data);
    env.put("FISCALD_ENV_FILE", envFile.toString());
    env.put("FISCALD_USER", "fiscald-test-nobody"); // not the owner of the data directory: no user switch
    Commands.run(Duration.ofMinutes(3), env, List.of(tree.resolve("usr/bin/fiscalctl").toString(), "init"))
        .assertOk("fiscalctl init");
    // the key came from the file's FISCALD_MASTER_KEY, so no key file was made; the file's other lines also apply
    assertThat(tmp.resolve("elsewhere").resolve("fiscald.db")).exists();
    assertThat(tmp.resolve("elsewhere").resolve("master.key")).doesNotExist();
    assertThat(data).doesNotExist();
  }

  @Test
  void installsRunsRemovesAndPurgesInAThrowawayRoot() throws Exception {
    assumeTrue(Commands.isRoot(), "not root: no throwaway root (overlay mount in a private namespace)");
    assumeTrue(Commands.onPath("unshare") && Commands.onPath("dpkg") && Commands.onPath("curl"),
        "unshare, dpkg or curl missing: no throwaway root");
    Path work = Files.createDirectories(tmp.resolve("throwaway"));
    assumeTrue(Commands.run(Duration.ofMinutes(1), Map.of(), List.of("unshare", "--mount", "--fork", "sh", "-c",
        "mkdir -p \"$0/u\" \"$0/w\" \"$0/m\" && mount -t overlay overlay -o lowerdir=/,upperdir=$0/u,workdir=$0/w $0/m",
        tmp.resolve("probe").toString())).exit() == 0, "overlay mounts are not allowed here: no throwaway root");
    Path script = tmp.resolve("throwaway-root.sh");
    try (InputStream in = DebInstallTest.class.getResourceAsStream("throwaway-root.sh")) {
      Files.copy(in, script);
    }
    int port = freePort();
    Commands.Result run = Commands.run(Duration.ofMinutes(10), Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"),
        List.of("unshare", "--mount", "--fork", "sh", script.toString(), BuiltDeb.path().toString(),
            work.toString(), Integer.toString(port)));
    Map<String, String> r = new LinkedHashMap<>();
    run.out().lines().filter(l -> l.matches("[a-z_]+=.*")).forEach(l -> r.put(l.substring(0, l.indexOf('=')),
        l.substring(l.indexOf('=') + 1)));
    String why = run.out() + "\n" + run.err() + "\nserve.log:\n" + readIfExists(work.resolve("serve.log"));
    run.assertOk("throwaway-root.sh");
    assertThat(r).as(why).containsEntry("done", "yes");

    assertThat(r.get("groups").split(" ")).as(why).contains("fiscald", "dialout", "lp");
    assertThat(r).as(why)
        .containsEntry("home", "/var/lib/fiscald")
        .containsEntry("datadir", "fiscald:fiscald 700")
        .containsEntry("conf", "root:root 644")
        .containsEntry("enabled", "/lib/systemd/system/fiscald.service")
        // fiscalctl run as root switched to the fiscald user: the service can open what it created
        .containsEntry("db", "fiscald 600")
        .containsEntry("key", "fiscald 600")
        .containsEntry("serve_exit", "143")
        // remove keeps the data, the configuration and the user; a reinstall finds them
        .containsEntry("removed_db", "present")
        .containsEntry("removed_key", "present")
        .containsEntry("removed_conf", "present")
        .containsEntry("removed_user", "present")
        .containsEntry("reinstalled_db", "present")
        .containsEntry("reinstalled_enabled", "/lib/systemd/system/fiscald.service")
        // purge deletes the data and the configuration, says so, and keeps the user
        .containsEntry("purged_data", "absent")
        .containsEntry("purged_conf", "absent")
        .containsEntry("purged_user", "present");
    assertThat(r.get("healthz")).as(why).contains("alive");
    assertThat(r.get("serve_uid")).as("the daemon runs as the fiscald user").isEqualTo(r.get("fiscald_uid"));
    assertThat(r.get("serve_cmd")).as(why).startsWith("/usr/bin/java ").contains("-Xmx64m",
        "-jar /usr/share/fiscald/fiscald.jar serve");
    assertThat(r.get("serve_env")).as(why).contains("FISCALD_CONFIG=/etc/fiscald/fiscald.conf",
        "FISCALD_DATA_DIR=/var/lib/fiscald");
    assertThat(r.get("purge_warning")).as(why).contains("deleting /var/lib/fiscald");
    if (r.containsKey("verify")) {
      assertThat(r.get("verify")).as("systemd-analyze verify in the throwaway root").isEqualTo("[]");
    }
  }

  private static String awaitHealthz(int port, Process daemon) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
        .timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline && daemon.isAlive()) {
      try {
        HttpResponse<String> response = http.send(get, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return response.body();
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError("GET /healthz never answered 200 (daemon alive: " + daemon.isAlive() + ")\n" + log());
  }

  private static String pathJava() throws Exception {
    return Path.of(Commands.run("sh", "-c", "command -v java").assertOk("command -v java").out().strip())
        .toString();
  }

  private static String log() {
    return "serve.log:\n" + readIfExists(tmp.resolve("serve.log"));
  }

  private static String readIfExists(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "(none)";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
