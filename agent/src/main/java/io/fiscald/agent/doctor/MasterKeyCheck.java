package io.fiscald.agent.doctor;

import io.fiscald.store.secret.MasterKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** The master key: from the environment, or a key file that exists and only its owner can read (0600). */
final class MasterKeyCheck implements Check {
  private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  @Override
  public String name() {
    return "master-key";
  }

  @Override
  public Finding run(DoctorContext ctx) throws Exception {
    if (ctx.env().get(MasterKey.ENV_VAR) != null) {
      return Finding.ok(name(), "master key taken from the environment (" + MasterKey.ENV_VAR + ")",
          Finding.facts("source", "environment"));
    }
    Path file = ctx.dir().masterKeyFile(ctx.env());
    var seen = Finding.facts("source", "file", "path", file.toString());
    if (!Files.exists(file)) {
      return Finding.fail(name(), "the master key file is missing: the sealed device key and credentials cannot"
          + " be opened", seen, "Put the till's master key back at " + file + " (mode 0600, owned by fiscald's user) "
          + "or set " + MasterKey.ENV_VAR + ". Without the key that sealed this database, restore is the only way: "
          + "docs/OPERATIONS.md");
    }
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      String mode = PosixFilePermissions.toString(perms);
      seen.put("mode", mode);
      seen.put("owner", Files.getOwner(file).getName());
      Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
      open.addAll(perms);
      open.retainAll(OTHERS);
      if (!open.isEmpty()) {
        return Finding.fail(name(), "the master key file can be read by other users (" + mode + ")", seen,
            "Make it private: chmod 600 " + file + " (fiscald refuses to start with a key file others can read)");
      }
    }
    return Finding.ok(name(), "master key file present, owner-only", seen);
  }
}
