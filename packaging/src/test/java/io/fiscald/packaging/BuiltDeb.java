package io.fiscald.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

/** The .deb that {@code mvn package} built in this module, found by the name the build promises. */
final class BuiltDeb {
  private BuiltDeb() {}

  /** The Debian version of the project version: {@code 0.1.0-SNAPSHOT} becomes {@code 0.1.0~SNAPSHOT}. */
  static String debianVersion() {
    String projectVersion = System.getProperty("fiscald.projectVersion");
    assertThat(projectVersion).as("system property fiscald.projectVersion (set by the packaging pom)").isNotBlank();
    return projectVersion.replace('-', '~');
  }

  static Path path() {
    String buildDir = System.getProperty("fiscald.buildDir");
    assertThat(buildDir).as("system property fiscald.buildDir (set by the packaging pom)").isNotBlank();
    Path deb = Path.of(buildDir, "fiscald_" + debianVersion() + "_all.deb");
    assertThat(deb).as("the package built by mvn package").isRegularFile();
    return deb;
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("fiscald.buildDir"), "fiscald.jar");
    assertThat(jar).isRegularFile();
    return jar;
  }

  static boolean dpkgAvailable() {
    return Commands.onPath("dpkg-deb");
  }

  /** Unpacks the package's files under {@code dir} with {@code dpkg-deb -x}, as dpkg would install them. */
  static Path extract(Path dir) throws Exception {
    Commands.run("dpkg-deb", "-x", path().toString(), dir.toString()).assertOk("dpkg-deb -x");
    assertThat(Files.list(dir)).isNotEmpty();
    return dir;
  }
}
