package io.fiscald.agent.doctor;

import java.nio.file.Files;

/** Free space on the file system of the data directory, against the warn and fail thresholds. */
final class DiskSpaceCheck implements Check {
  private static final long MB = 1024L * 1024;

  @Override
  public String name() {
    return "disk-space";
  }

  @Override
  public Finding run(DoctorContext ctx) throws Exception {
    java.nio.file.Path where = ctx.dir().root();
    while (!Files.exists(where) && where.getParent() != null) {
      where = where.getParent(); // a data directory not created yet goes on its parent's disk
    }
    long free = Files.getFileStore(where).getUsableSpace();
    var seen = Finding.facts("freeBytes", free, "freeMB", free / MB, "warnBelowMB", ctx.limits().freeDiskWarnBytes() / MB,
        "failBelowMB", ctx.limits().freeDiskFailBytes() / MB);
    String fix = "Free space on the disk of " + ctx.dir().root() + ": move old backups off the till (" + ctx.dir()
        .backups() + ", keep the newest), clear logs (journalctl --vacuum-size=50M), remove unused packages";
    if (free < ctx.limits().freeDiskFailBytes()) {
      return Finding.fail(name(), "only " + free / MB + " MB free: receipts may soon fail to commit", seen, fix);
    }
    if (free < ctx.limits().freeDiskWarnBytes()) {
      return Finding.warn(name(), "only " + free / MB + " MB free", seen, fix);
    }
    return Finding.ok(name(), free / MB + " MB free", seen);
  }
}
