package io.fiscald.store.secret;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 32-byte AES-256 key that encrypts every stored secret, taken from the environment or from a
 * key file private to the fiscald user.
 */
public final class MasterKey {

  /** Environment variable that, when set, supplies the key and takes precedence over the file. */
  public static final String ENV_VAR = "FISCALD_MASTER_KEY";

  static final int LENGTH = 32;

  private static final Logger log = LoggerFactory.getLogger(MasterKey.class);
  private static final String HOW_TO_CREATE = "create one with: head -c 32 /dev/urandom | base64";
  private static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIR_MODE =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FORBIDDEN =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE);

  private static final FileAttribute<?>[] NO_ATTRIBUTES = new FileAttribute<?>[0];

  private final byte[] key;
  private final String source;

  private MasterKey(byte[] key, String source) {
    this.key = key;
    this.source = source;
  }

  /**
   * Takes the key from {@code FISCALD_MASTER_KEY} in {@code env} if set, otherwise from {@code
   * keyFile}, creating that file (mode 0600, parent directories 0700) with a new random key if it
   * does not exist yet.
   *
   * @throws MasterKeyException if the variable or file is malformed or the file is readable or
   *     writable by group or others
   */
  public static MasterKey resolve(Path keyFile, Map<String, String> env) {
    Objects.requireNonNull(keyFile, "keyFile");
    Objects.requireNonNull(env, "env");
    String fromEnv = env.get(ENV_VAR);
    if (fromEnv != null) {
      return new MasterKey(decodeEnvironment(fromEnv), "environment " + ENV_VAR);
    }
    Path file = keyFile.toAbsolutePath();
    boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
    byte[] key = Files.exists(file) ? readKeyFile(file, posix) : createKeyFile(file, posix);
    return new MasterKey(key, "key file " + file);
  }

  /** A key from exactly 32 given bytes (copied), for tests and tools that hold the key already. */
  public static MasterKey of(byte[] key) {
    Objects.requireNonNull(key, "key");
    if (key.length != LENGTH) {
      throw new IllegalArgumentException(
          "a master key is " + LENGTH + " bytes, got " + key.length + " bytes");
    }
    return new MasterKey(key.clone(), "supplied bytes");
  }

  /**
   * Where the key came from, for status output: {@code environment FISCALD_MASTER_KEY} or {@code
   * key file /path}.
   */
  public String source() {
    return source;
  }

  /** The key for {@link SecretBox}; package-private so that nothing else can read it. */
  SecretKeySpec aesKey() {
    return new SecretKeySpec(key, "AES");
  }

  @Override
  public String toString() {
    return "MasterKey[" + source + ", [REDACTED]]";
  }

  // Error messages below never include the value or file contents, and never chain the decoder's
  // exception: its message quotes the offending character.

  private static byte[] decodeEnvironment(String value) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(withoutWhitespace(value));
    } catch (IllegalArgumentException e) {
      throw new MasterKeyException(
          ENV_VAR + " must be the Base64 encoding of " + LENGTH + " random bytes (it is set but is"
              + " not valid Base64); " + HOW_TO_CREATE);
    }
    if (key.length != LENGTH) {
      Arrays.fill(key, (byte) 0);
      throw new MasterKeyException(
          ENV_VAR + " must be the Base64 encoding of " + LENGTH + " random bytes (got "
              + key.length + " bytes); " + HOW_TO_CREATE);
    }
    return key;
  }

  private static byte[] readKeyFile(Path file, boolean posix) {
    byte[] content;
    try {
      if (posix) {
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        if (!Collections.disjoint(mode, FORBIDDEN)) {
          throw new MasterKeyException(
              "master key file " + file + " is accessible to other users (mode "
                  + PosixFilePermissions.toString(mode) + "); it must be readable by the fiscald"
                  + " user only: chmod 600 " + file);
        }
      }
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new MasterKeyException(
          "cannot read master key file " + file + " (" + e.getClass().getSimpleName() + "); check"
              + " that fiscald runs as the user that owns it",
          e);
    }
    // Replacing the file does not re-encrypt anything, so the fix is restoring the original.
    String restore =
        "; if it was replaced or damaged, restore the original from backup: secrets sealed under"
            + " it cannot be opened with any other key";
    try {
      String text = withoutWhitespace(new String(content, StandardCharsets.US_ASCII));
      if (text.isEmpty()) {
        throw new MasterKeyException("master key file " + file + " is empty" + restore);
      }
      byte[] key;
      try {
        key = Base64.getDecoder().decode(text);
      } catch (IllegalArgumentException e) {
        throw new MasterKeyException(
            "master key file " + file + " does not hold Base64 text" + restore);
      }
      if (key.length != LENGTH) {
        Arrays.fill(key, (byte) 0);
        throw new MasterKeyException(
            "master key file " + file + " holds " + key.length + " bytes, not " + LENGTH + restore);
      }
      return key;
    } finally {
      Arrays.fill(content, (byte) 0);
    }
  }

  private static byte[] createKeyFile(Path file, boolean posix) {
    byte[] key = new byte[LENGTH];
    new SecureRandom().nextBytes(key);
    byte[] text =
        (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII);
    Path dir = file.getParent();
    try {
      if (dir != null && !Files.isDirectory(dir)) {
        Files.createDirectories(dir, posix ? modeAttribute(DIR_MODE) : NO_ATTRIBUTES);
      }
      writeNewFile(file, text, posix);
    } catch (FileAlreadyExistsException raceLost) {
      // another fiscald process created it between our check and our create: use theirs
      Arrays.fill(key, (byte) 0);
      return readKeyFile(file, posix);
    } catch (IOException e) {
      throw new MasterKeyException(
          "cannot create master key file " + file + " (" + e.getClass().getSimpleName() + ": "
              + e.getMessage() + "); create its directory writable by the fiscald user, or set "
              + ENV_VAR,
          e);
    } finally {
      Arrays.fill(text, (byte) 0);
    }
    if (!posix) {
      log.warn(
          "the file system of {} has no POSIX permissions; restrict access to it by other means",
          file);
    }
    log.info(
        "created a new master key in {}; back it up: the encrypted secrets cannot be recovered"
            + " without it",
        file);
    return key;
  }

  private static void writeNewFile(Path file, byte[] text, boolean posix) throws IOException {
    Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    // The mode is set by the create call itself, so the key is never readable by others, not even
    // for the moment between creating and chmod-ing the file.
    FileAttribute<?>[] attributes = posix ? modeAttribute(FILE_MODE) : NO_ATTRIBUTES;
    FileChannel channel = FileChannel.open(file, options, attributes);
    boolean complete = false;
    try (channel) {
      ByteBuffer buffer = ByteBuffer.wrap(text);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      // Durable before any secret is sealed with it: a key lost in a power cut would make every
      // secret committed to SQLite unreadable.
      channel.force(true);
      complete = true;
    } finally {
      if (!complete) {
        // we created this file (CREATE_NEW succeeded); half-written, it would block every start
        Files.deleteIfExists(file);
      }
    }
    syncDirectory(file.getParent());
  }

  private static void syncDirectory(Path dir) {
    if (dir == null) {
      return;
    }
    // Makes the new directory entry durable; some platforms cannot open a directory, and there the
    // file system's own ordering is all we get.
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      log.debug("cannot fsync directory {}: {}", dir, e.toString());
    }
  }

  private static FileAttribute<?>[] modeAttribute(Set<PosixFilePermission> mode) {
    return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)};
  }

  private static String withoutWhitespace(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!Character.isWhitespace(c)) {
        out.append(c);
      }
    }
    return out.toString();
  }
}
