package io.fiscald.store.secret;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fiscald.store.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretStoreTest {

  @TempDir Path dir;

  private Connection connection;
  private final SecretStore store = new SecretStore(new SecretBox(SecretBoxTest.randomKey()));

  @BeforeEach
  void createTable() throws SQLException {
    connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("fiscald.db"));
    try (Statement st = connection.createStatement()) {
      // exactly the table the schema migrations create
      st.execute(
          "CREATE TABLE secrets (name TEXT PRIMARY KEY, sealed BLOB NOT NULL,"
              + " updated_at TEXT NOT NULL)");
    }
  }

  @AfterEach
  void close() throws SQLException {
    connection.close();
  }

  @Test
  void putThenGetReturnsTheValue() {
    store.put(connection, "zimra.device-key", Secret.ofUtf8("k1"));

    assertThat(store.get(connection, "zimra.device-key")).get()
        .extracting(Secret::revealUtf8).isEqualTo("k1");
    assertThat(store.exists(connection, "zimra.device-key")).isTrue();
  }

  @Test
  void missingNameIsEmpty() {
    assertThat(store.get(connection, "nothing")).isEmpty();
    assertThat(store.exists(connection, "nothing")).isFalse();
  }

  @Test
  void putOverwritesAndStampsUpdatedAt() throws SQLException {
    Instant before = Instant.now();
    store.put(connection, "kra.cmc-key", Secret.ofUtf8("old"));
    store.put(connection, "kra.cmc-key", Secret.ofUtf8("new"));

    assertThat(store.get(connection, "kra.cmc-key").orElseThrow().revealUtf8()).isEqualTo("new");
    assertThat(store.names(connection)).containsExactly("kra.cmc-key");
    assertThat(Instant.parse(column("kra.cmc-key", "updated_at"))).isAfterOrEqualTo(before);
  }

  @Test
  void namesAreSortedAndDeleteRemoves() {
    store.put(connection, "b", Secret.ofUtf8("2"));
    store.put(connection, "a", Secret.ofUtf8("1"));
    store.put(connection, "c", Secret.ofUtf8("3"));

    store.delete(connection, "b");
    store.delete(connection, "not-there");

    assertThat(store.names(connection)).containsExactly("a", "c");
    assertThat(store.get(connection, "b")).isEmpty();
  }

  @Test
  void sealedColumnDoesNotContainThePlaintext() throws SQLException {
    byte[] plaintext = "-----BEGIN PRIVATE KEY----- MIGHAgEAMBMGByqGSM49".getBytes(UTF_8);
    store.put(connection, "device-key", Secret.copyOf(plaintext));

    byte[] sealed = sealedColumn("device-key");

    assertThat(sealed).hasSize(1 + 12 + plaintext.length + 16);
    // no 8-byte window of the plaintext appears in the stored bytes
    for (int i = 0; i + 8 <= plaintext.length; i++) {
      assertThat(contains(sealed, Arrays.copyOfRange(plaintext, i, i + 8))).isFalse();
    }
  }

  @Test
  void valueCopiedToAnotherNameDoesNotOpen() throws SQLException {
    store.put(connection, "admin-token", Secret.ofUtf8("admin"));
    store.put(connection, "cashier-token", Secret.ofUtf8("cashier"));
    try (PreparedStatement ps =
        connection.prepareStatement("UPDATE secrets SET sealed = ? WHERE name = 'cashier-token'")) {
      ps.setBytes(1, sealedColumn("admin-token"));
      ps.executeUpdate();
    }

    assertThatThrownBy(() -> store.get(connection, "cashier-token"))
        .isInstanceOf(SecretTamperedException.class)
        .hasMessageContaining("cashier-token");
  }

  @Test
  void callerOwnsTheTransaction() throws SQLException {
    connection.setAutoCommit(false);
    store.put(connection, "rolled-back", Secret.ofUtf8("x"));
    connection.rollback();
    connection.setAutoCommit(true);

    assertThat(store.exists(connection, "rolled-back")).isFalse();
  }

  @Test
  void sqlErrorsBecomeStoreExceptionsNamingTheSecret() throws SQLException {
    try (Statement st = connection.createStatement()) {
      st.execute("DROP TABLE secrets");
    }

    assertThatThrownBy(() -> store.put(connection, "device-key", Secret.ofUtf8("x")))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("device-key")
        .hasCauseInstanceOf(SQLException.class);
  }

  private byte[] sealedColumn(String name) throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement("SELECT sealed FROM secrets WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getBytes(1);
      }
    }
  }

  private String column(String name, String column) throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement("SELECT " + column + " FROM secrets WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getString(1);
      }
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return true;
      }
    }
    return false;
  }
}
