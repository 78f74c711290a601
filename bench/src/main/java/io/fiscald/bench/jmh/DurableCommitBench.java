package io.fiscald.bench.jmh;

import io.fiscald.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable commits per second of one small row, opened as the journal is (WAL, synchronous=FULL): the
 * fsync-bound ceiling. Set -Djava.io.tmpdir to the disk to measure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DurableCommitBench {
  private Path dir;
  private Connection c;
  private PreparedStatement begin;
  private PreparedStatement insert;
  private PreparedStatement commit;
  private final byte[] row = new byte[100];

  @Setup
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("fiscald-jmh-commit-");
    c = Database.openUnmigrated(dir.resolve("commits.db"));
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)");
    }
    begin = c.prepareStatement("BEGIN IMMEDIATE");
    insert = c.prepareStatement("INSERT INTO t (v) VALUES (?)");
    commit = c.prepareStatement("COMMIT");
  }

  @TearDown
  public void tearDown() throws Exception {
    begin.close();
    insert.close();
    commit.close();
    c.close();
    Scratch.delete(dir);
  }

  @Benchmark
  public void commitOneRow() throws Exception {
    begin.execute();
    insert.setBytes(1, row);
    insert.executeUpdate();
    commit.execute();
  }
}
