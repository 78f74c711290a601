package io.fiscald.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fiscald.cli.Fiscalctl;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * The Debian package as dpkg and lintian see it: file list, modes and owners, control fields, conffiles,
 * maintainer scripts, the systemd unit, the default configuration and the generated bash completion.
 */
class DebPackageTest {
  /** Every regular file the package installs, with its mode; all are owned by root. */
  private static final Map<String, String> FILES = Map.ofEntries(
      Map.entry("./usr/share/fiscald/fiscald.jar", "-rw-r--r--"),
      Map.entry("./usr/share/fiscald/jvm.flags", "-rw-r--r--"),
      Map.entry("./usr/bin/fiscalctl", "-rwxr-xr-x"),
      Map.entry("./usr/bin/fiscald", "-rwxr-xr-x"),
      Map.entry("./lib/systemd/system/fiscald.service", "-rw-r--r--"),
      Map.entry("./etc/fiscald/fiscald.conf", "-rw-r--r--"),
      Map.entry("./usr/share/bash-completion/completions/fiscalctl", "-rw-r--r--"),
      Map.entry("./usr/share/doc/fiscald/copyright", "-rw-r--r--"),
      Map.entry("./usr/share/doc/fiscald/changelog.Debian.gz", "-rw-r--r--"),
      Map.entry("./usr/share/doc/fiscald/README.md", "-rw-r--r--"),
      Map.entry("./usr/share/doc/fiscald/INSTALL.md", "-rw-r--r--"),
      Map.entry("./usr/share/doc/fiscald/examples/fiscald.env", "-rw-r--r--"));
  /** Shipped when docs/CONFIG.md exists (the configuration reference). */
  private static final Set<String> OPTIONAL_FILES = Set.of("./usr/share/doc/fiscald/CONFIG.md");

  @TempDir static Path tmp;
  static Path deb;
  static Path tree;

  @BeforeAll
  static void unpack() throws Exception {
    assumeTrue(BuiltDeb.dpkgAvailable(), "dpkg-deb is not installed: the .deb checks need a Debian system");
    deb = BuiltDeb.path();
    tree = BuiltDeb.extract(Files.createDirectories(tmp.resolve("root")));
  }

  @Test
  void fileListModesAndOwners() throws Exception {
    String listing = Commands.run("dpkg-deb", "--contents", deb.toString()).assertOk("dpkg-deb --contents").out();
    Map<String, String> files = new TreeMap<>();
    Set<String> dirs = new TreeSet<>();
    for (String line : listing.strip().split("\n")) {
      // drwxr-xr-x root/root         0 2026-11-24 11:23 ./usr/
      String[] f = line.trim().split("\\s+", 6);
      assertThat(f).as(line).hasSize(6);
      assertThat(f[1]).as("owner of %s", f[5]).isEqualTo("root/root");
      assertThat(f[0].charAt(0)).as("%s is a file or a directory, nothing else", f[5]).isIn('-', 'd');
      if (f[0].startsWith("d")) {
        assertThat(f[0]).as("mode of %s", f[5]).isEqualTo("drwxr-xr-x");
        dirs.add(f[5]);
      } else {
        files.put(f[5], f[0]);
      }
    }
    Map<String, String> required = new TreeMap<>(FILES);
    Map<String, String> shipped = new TreeMap<>(files);
    OPTIONAL_FILES.forEach(o -> {
      if (shipped.containsKey(o)) {
        assertThat(shipped.remove(o)).isEqualTo("-rw-r--r--");
      }
    });
    assertThat(shipped).isEqualTo(required);
    // the data directory belongs to the fiscald user, created by postinst, never shipped
    assertThat(dirs).noneMatch(d -> d.startsWith("./var/"));
    assertThat(Files.size(tree.resolve("usr/share/fiscald/fiscald.jar"))).isEqualTo(Files.size(BuiltDeb.jar()));
  }

  @Test
  void controlFields() throws Exception {
    Map<String, String> fields = fields(Commands.run("dpkg-deb", "--field", deb.toString()).assertOk("dpkg-deb --field").out());
    assertThat(fields).containsEntry("Package", "fiscald")
        .containsEntry("Version", BuiltDeb.debianVersion())
        .containsEntry("Architecture", "all")
        .containsEntry("Priority", "optional")
        .containsEntry("Depends", "default-jre-headless (>= 2:1.17) | java17-runtime-headless, adduser")
        .containsKeys("Section", "Maintainer", "Installed-Size");
    assertThat(fields.get("Maintainer")).matches(".+ <[^@\\s]+@[^@\\s]+>");
    String[] description = fields.get("Description").split("\n");
    assertThat(description[0]).as("synopsis").isNotBlank().hasSizeLessThan(80);
    assertThat(description.length).as("a long description follows the synopsis").isGreaterThan(5);

    String info = Commands.run("dpkg-deb", "--info", deb.toString()).assertOk("dpkg-deb --info").out();
    assertThat(info).contains("conffiles", "postinst", "prerm", "postrm", "md5sums");
  }

  @Test
  void conffilesAndMaintainerScripts() throws Exception {
    Path controlTar = tmp.resolve("control.tar");
    Commands.run(Duration.ofMinutes(1), Map.of(), List.of("sh", "-c",
        "dpkg-deb --ctrl-tarfile \"$0\" > \"$1\"", deb.toString(), controlTar.toString())).assertOk("--ctrl-tarfile");
    Map<String, String> modes = new TreeMap<>();
    for (String line : Commands.run("tar", "-tvf", controlTar.toString()).assertOk("tar -tv").out().strip().split("\n")) {
      String[] f = line.trim().split("\\s+", 6);
      assertThat(f[1]).as("owner of %s", f[5]).isEqualTo("root/root");
      modes.put(f[5].replaceFirst("^\\./", ""), f[0]);
    }
    assertThat(modes).containsEntry("postinst", "-rwxr-xr-x").containsEntry("prerm", "-rwxr-xr-x")
        .containsEntry("postrm", "-rwxr-xr-x").containsEntry("control", "-rw-r--r--")
        .containsEntry("conffiles", "-rw-r--r--").containsEntry("md5sums", "-rw-r--r--");

    Path control = Files.createDirectories(tmp.resolve("control"));
    Commands.run("tar", "-xf", controlTar.toString(), "-C", control.toString()).assertOk("tar -x");
    assertThat(Files.readString(control.resolve("conffiles"))).isEqualTo("/etc/fiscald/fiscald.conf\n");
    for (String script : List.of("postinst", "prerm", "postrm")) {
      String text = Files.readString(control.resolve(script));
      assertThat(text).as(script).startsWith("#!/bin/sh\n").contains("\nset -e\n");
      Commands.run("sh", "-n", control.resolve(script).toString()).assertOk("sh -n " + script);
    }
    // systemd only when it runs (not in a chroot), and data only on purge (behaviour: DebInstallTest)
    assertThat(Files.readString(control.resolve("postinst")))
        .contains("adduser --quiet --system $group_opt", "--home /var/lib/fiscald", "[ -d /run/systemd/system ]");
    String postrm = Files.readString(control.resolve("postrm"));
    assertThat(postrm.substring(0, postrm.indexOf("rm -rf /var/lib/fiscald"))).contains("if [ \"$1\" = purge ]");
  }

  @Test
  void defaultConfigurationIsOnlyComments() throws Exception {
    List<String> lines = Files.readAllLines(tree.resolve("etc/fiscald/fiscald.conf"));
    assertThat(lines).allMatch(l -> l.isBlank() || l.startsWith("#"));
    assertThat(lines).contains("#api.listen = 127.0.0.1:8719", "#api.allow-remote = false", "#test-mode = false",
        "#backup.interval = 24h", "#backup.keep-count = 14", "#backup.keep-days = 30", "#log.level = info");
    assertThat(String.join("\n", lines)).contains("/usr/share/doc/fiscald", "docs/CONFIG.md");
    // the example of the secrets file sets nothing: an empty FISCALD_MASTER_KEY= would be a broken key
    assertThat(Files.readAllLines(tree.resolve("usr/share/doc/fiscald/examples/fiscald.env")))
        .allMatch(l -> l.isBlank() || l.startsWith("#"));
  }

  @Test
  void systemdUnit() throws Exception {
    Path unit = tree.resolve("lib/systemd/system/fiscald.service");
    List<String> lines = Files.readAllLines(unit);
    assertThat(lines).contains("User=fiscald", "Group=fiscald", "SupplementaryGroups=dialout lp",
        "StateDirectory=fiscald", "StateDirectoryMode=0700", "ConfigurationDirectory=fiscald",
        "CacheDirectory=fiscald", "CacheDirectoryMode=0700",
        "Environment=FISCALD_CONFIG=/etc/fiscald/fiscald.conf", "Environment=FISCALD_DATA_DIR=/var/lib/fiscald",
        "EnvironmentFile=-/etc/fiscald/fiscald.env", "ExecStart=/usr/bin/fiscald", "SuccessExitStatus=143",
        "Restart=on-failure", "NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
        "WantedBy=multi-user.target");
    assertThat(lines).anyMatch(l -> l.startsWith("RestartSec=")).anyMatch(l -> l.startsWith("TimeoutStopSec="));
    // serial ports and USB printers stay reachable: nothing that hides /dev or installs a device allow-list
    assertThat(lines).noneMatch(l -> l.matches("(PrivateDevices=(yes|true)|DevicePolicy=.*|DeviceAllow=.*"
        + "|ProtectClock=(yes|true)|MemoryDenyWriteExecute=(yes|true))"));

    assumeTrue(Commands.onPath("systemd-analyze"), "systemd-analyze is not installed: unit not verified");
    // verify checks that ExecStart exists: point it at the unpacked launcher, keep every other line
    Path copy = Files.createDirectories(tmp.resolve("unit")).resolve("fiscald.service");
    Files.writeString(copy, Files.readString(unit).replace("ExecStart=/usr/bin/fiscald",
        "ExecStart=" + tree.resolve("usr/bin/fiscald")));
    Commands.Result verify = Commands.run("systemd-analyze", "verify", "--man=no", copy.toString());
    assertThat(verify.exit()).as(verify.err()).isZero();
    // systemd-analyze reports bad values as warnings with exit 0: any output is a finding
    assertThat(verify.out() + verify.err()).isEmpty();
  }

  @Test
  void bashCompletionIsPicocliOutputForTheRealCommandTree() throws Exception {
    String shipped = Files.readString(tree.resolve("usr/share/bash-completion/completions/fiscalctl"));
    String expected = AutoComplete.bash("fiscalctl", new CommandLine(new Fiscalctl()));
    assertThat(shipped).isEqualTo(expected.replaceFirst("^#![^\n]*\n", ""));
    assertThat(shipped).doesNotStartWith("#!").contains("complete -F _complete_fiscalctl", "serve", "register");
  }

  @Test
  void changelogCarriesThePackageVersionCompressedAsDebianWants() throws Exception {
    Path gz = tree.resolve("usr/share/doc/fiscald/changelog.Debian.gz");
    byte[] raw = Files.readAllBytes(gz);
    assertThat(raw[3]).as("gzip flags: no file name (gzip -n)").isZero();
    assertThat(new byte[] {raw[4], raw[5], raw[6], raw[7]}).as("gzip mtime 0 (gzip -n)").containsOnly(0);
    assertThat(raw[8]).as("gzip -9").isEqualTo((byte) 2);
    String text;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz)); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      in.transferTo(out);
      text = out.toString(StandardCharsets.UTF_8);
    }
    assertThat(text).startsWith("fiscald (" + BuiltDeb.debianVersion() + ") unstable; urgency=medium\n");
    assertThat(text).containsPattern("\n -- .+ <.+@.+>  \\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} \\+0000\n");
  }

  @Test
  void lintianFindsNoErrors() throws Exception {
    assumeTrue(Commands.onPath("lintian"), "lintian is not installed (apt-get install lintian; .ci/run does)");
    Commands.Result lintian = Commands.run(Duration.ofMinutes(10), Map.of(), List.of("lintian", deb.toString()));
    Files.writeString(Path.of(System.getProperty("fiscald.buildDir"), "lintian.txt"), lintian.out() + lintian.err());
    assertThat(lintian.out().lines()).as("lintian errors (all findings in target/lintian.txt)")
        .noneMatch(l -> l.startsWith("E:"));
    assertThat(lintian.exit()).as(lintian.out() + lintian.err()).isZero();
  }

  private static Map<String, String> fields(String control) {
    Map<String, String> fields = new LinkedHashMap<>();
    String last = null;
    for (String line : control.split("\n")) {
      if (line.startsWith(" ") && last != null) {
        fields.merge(last, "\n" + line.substring(1), String::concat);
      } else if (line.contains(":")) {
        last = line.substring(0, line.indexOf(':'));
        fields.put(last, line.substring(line.indexOf(':') + 1).strip());
      }
    }
    return fields;
  }
}
