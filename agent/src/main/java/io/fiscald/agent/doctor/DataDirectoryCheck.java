package io.fiscald.agent.doctor;

import java.nio.file.Files;
import java.nio.file.Path;

/** The data directory exists, is writable by this user and holds a device database. */
final class DataDirectoryCheck implements Check {
  @Override
  public String name() {
    return "data-dir";
  }

  @Override
  public Finding run(DoctorContext ctx) {
    Path root = ctx.dir().root();
    var seen = Finding.facts("path", root.toString(), "user", System.getProperty("user.name"));
    if (!Files.isDirectory(root)) {
      return Finding.fail(name(), "the data directory does not exist", seen, "Check --data-dir / FISCALD_DATA_DIR "
          + "points at the till's data; on a new till create the device with: fiscalctl init (or restore a backup,"
          + " docs/OPERATIONS.md)");
    }
    boolean writable = Files.isWritable(root);
    seen.put("writable", writable);
    seen.put("database", Files.isRegularFile(ctx.dir().database()));
    if (!Files.isRegularFile(ctx.dir().database())) {
      return Finding.fail(name(), "no device database (fiscald.db) in the data directory", seen,
          "Create the device with: fiscalctl init --data-dir " + root + ", or restore the latest backup: "
              + "fiscalctl restore FILE (docs/OPERATIONS.md, disaster recovery)");
    }
    if (!writable) {
      return Finding.fail(name(), "this user cannot write to the data directory", seen, "Run fiscalctl as the user "
          + "fiscald runs as (sudo -u fiscald fiscalctl ...), or give that user the directory: chown -R fiscald: "
          + root);
    }
    return Finding.ok(name(), "data directory present and writable", seen);
  }
}
