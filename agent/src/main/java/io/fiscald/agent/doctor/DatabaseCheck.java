package io.fiscald.agent.doctor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * SQLite's own check of the database file ({@code integrity_check}; {@code quick_check} on big files,
 * which skips the index cross-checks) and the size of the write-ahead log.
 */
final class DatabaseCheck implements Check {
  private static final long MB = 1024L * 1024;

  @Override
  public String name() {
    return "database";
  }

  @Override
  public Finding run(DoctorContext ctx) throws Exception {
    Path db = ctx.dir().database();
    if (!Files.isRegularFile(db)) {
      return Finding.fail(name(), "no database file", Finding.facts("path", db.toString()),
          "See the data-dir finding");
    }
    long size = Files.size(db);
    Path walFile = db.resolveSibling(db.getFileName() + "-wal");
    long wal = Files.exists(walFile) ? Files.size(walFile) : 0;
    String pragma = size > ctx.limits().quickCheckAboveBytes() ? "quick_check" : "integrity_check";
    var seen = Finding.facts("path", db.toString(), "bytes", size, "walBytes", wal, "check", pragma);
    String result;
    try (Connection c = ctx.readOnly(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA " + pragma)) {
      StringBuilder out = new StringBuilder();
      while (rs.next()) {
        out.append(out.length() > 0 ? "; " : "").append(rs.getString(1));
      }
      result = out.toString();
    } catch (Exception e) {
      result = "cannot read the database: " + e.getMessage();
    }
    seen.put("result", result.length() > 300 ? result.substring(0, 300) + "..." : result);
    if (!"ok".equals(result)) {
      return Finding.fail(name(), "the database file is damaged (" + pragma + ")", seen, "Stop fiscald, keep the "
          + "damaged file for the record (cp " + db + " " + db + ".damaged), then restore the latest backup: "
          + "fiscalctl restore --force FILE, fiscalctl audit verify, and resynchronise with the authority "
          + "(docs/OPERATIONS.md, disaster recovery)");
    }
    if (wal > ctx.limits().walWarnBytes()) {
      return Finding.warn(name(), "database ok, but the write-ahead log is " + wal / MB + " MB", seen, "A long-running"
          + " reader is holding back checkpoints; restart fiscald at a quiet moment (systemctl restart fiscald) so "
          + "the log is folded into the database");
    }
    return Finding.ok(name(), pragma + " ok, " + size / 1024 + " KB, write-ahead log " + wal / 1024 + " KB", seen);
  }
}
