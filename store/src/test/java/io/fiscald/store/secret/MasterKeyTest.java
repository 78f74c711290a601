package io.fiscald.store.secret;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyTest {

  @TempDir Path dir;

  private static final byte[] DATA = "secret".getBytes(UTF_8);

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }

  /** True if both keys are the same AES key: one opens what the other sealed. */
  private static boolean sameKey(MasterKey a, MasterKey b) {
    byte[] sealed = new SecretBox(a).seal(DATA, "probe");
    try {
      return Arrays.equals(new SecretBox(b).open(sealed, "probe"), DATA);
    } catch (SecretTamperedException e) {
      return false;
    }
  }

  private void assumePosix() {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
  }

  @Test
  void environmentKeyIsDecodedAndPreferredOverTheFile() {
    byte[] raw = randomBytes(32);
    Path keyFile = dir.resolve("master.key");

    // a trailing newline, as `base64` prints it, is tolerated
    String value = Base64.getEncoder().encodeToString(raw) + "\n";

    MasterKey key = MasterKey.resolve(keyFile, Map.of("FISCALD_MASTER_KEY", value));

    assertThat(sameKey(key, MasterKey.of(raw))).isTrue();
    assertThat(key.source()).isEqualTo("environment FISCALD_MASTER_KEY");
    assertThat(keyFile).doesNotExist();
  }

  @Test
  void environmentKeyOfWrongLengthIsRefusedWithoutEchoingIt() {
    String value = Base64.getEncoder().encodeToString(randomBytes(12));

    Map<String, String> env = Map.of("FISCALD_MASTER_KEY", value);

    assertThatThrownBy(() -> MasterKey.resolve(dir.resolve("k"), env))
        .isInstanceOf(MasterKeyException.class)
        .hasMessageContaining("FISCALD_MASTER_KEY must be the Base64 encoding of 32 random bytes")
        .hasMessageContaining("got 12 bytes")
        .hasMessageContaining("head -c 32 /dev/urandom | base64")
        .hasMessageNotContaining(value);
  }

  @Test
  void environmentKeyThatIsNotBase64IsRefusedWithoutEchoingIt() {
    String value = "correct-horse-battery-staple!";

    Map<String, String> env = Map.of("FISCALD_MASTER_KEY", value);

    assertThatThrownBy(() -> MasterKey.resolve(dir.resolve("k"), env))
        .isInstanceOf(MasterKeyException.class)
        .hasMessageContaining("not valid Base64")
        .hasMessageNotContaining(value)
        .hasMessageNotContaining("horse")
        .hasNoCause();
  }

  @Test
  void missingKeyFileIsCreatedPrivateAndReadBackAsTheSameKey() throws Exception {
    assumePosix();
    Path keyFile = dir.resolve("etc/fiscald/master.key");

    MasterKey created = MasterKey.resolve(keyFile, Map.of());
    MasterKey reread = MasterKey.resolve(keyFile, Map.of());

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile.getParent())))
        .isEqualTo("rwx------");
    assertThat(Base64.getDecoder().decode(Files.readString(keyFile).strip())).hasSize(32);
    assertThat(sameKey(created, reread)).isTrue();
    assertThat(sameKey(created, MasterKey.of(randomBytes(32)))).isFalse();
    assertThat(reread.source()).isEqualTo("key file " + keyFile.toAbsolutePath());
  }

  @Test
  void groupReadableKeyFileIsRefusedWithTheFix() throws Exception {
    assumePosix();
    Path keyFile = dir.resolve("master.key");
    Files.writeString(keyFile, Base64.getEncoder().encodeToString(randomBytes(32)));
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> MasterKey.resolve(keyFile, Map.of()))
        .isInstanceOf(MasterKeyException.class)
        .hasMessageContaining(keyFile.toAbsolutePath().toString())
        .hasMessageContaining("rw-r--r--")
        .hasMessageContaining("chmod 600 " + keyFile.toAbsolutePath());
  }

  @Test
  void keyFileOfWrongLengthIsRefused() throws Exception {
    assumePosix();
    Path keyFile = dir.resolve("master.key");
    String content = Base64.getEncoder().encodeToString(randomBytes(16));
    Files.writeString(keyFile, content);
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));

    assertThatThrownBy(() -> MasterKey.resolve(keyFile, Map.of()))
        .isInstanceOf(MasterKeyException.class)
        .hasMessageContaining("holds 16 bytes, not 32")
        .hasMessageNotContaining(content);
  }

  @Test
  void toStringShowsSourceButNoKey() {
    byte[] raw = randomBytes(32);
    MasterKey key = MasterKey.of(raw);

    assertThat(key.toString())
        .isEqualTo("MasterKey[supplied bytes, [REDACTED]]")
        .doesNotContain(Base64.getEncoder().encodeToString(raw));
    assertThatThrownBy(() -> MasterKey.of(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
