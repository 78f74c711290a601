package io.fiscald.store.secret;

import io.fiscald.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Named secrets encrypted at rest in the {@code secrets} table; every method works on the caller's
 * connection and inside the caller's transaction.
 */
public final class SecretStore {

  private static final String AAD_PREFIX = "fiscald-secret:";

  private final SecretBox box;

  public SecretStore(SecretBox box) {
    this.box = Objects.requireNonNull(box, "box");
  }

  /** Stores {@code value} under {@code name}, replacing any previous value. */
  public void put(Connection c, String name, Secret value) {
    checkName(name);
    Objects.requireNonNull(value, "value");
    byte[] sealed = box.seal(value, aad(name));
    String sql =
        "INSERT INTO secrets (name, sealed, updated_at) VALUES (?, ?, ?)"
            + " ON CONFLICT (name) DO UPDATE"
            + " SET sealed = excluded.sealed, updated_at = excluded.updated_at";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, name);
      ps.setBytes(2, sealed);
      ps.setString(3, Instant.now().toString());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw failure("store", name, e);
    }
  }

  /**
   * The secret stored under {@code name}, or empty.
   *
   * @throws SecretTamperedException if the stored value does not authenticate under this master key
   *     and name
   */
  public Optional<Secret> get(Connection c, String name) {
    checkName(name);
    byte[] sealed;
    try (PreparedStatement ps = c.prepareStatement("SELECT sealed FROM secrets WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        sealed = rs.getBytes(1);
      }
    } catch (SQLException e) {
      throw failure("read", name, e);
    }
    return Optional.of(box.openSecret(sealed, aad(name)));
  }

  /** Whether a secret is stored under {@code name}, without decrypting it. */
  public boolean exists(Connection c, String name) {
    checkName(name);
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM secrets WHERE name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw failure("look up", name, e);
    }
  }

  /** Names of all stored secrets, in ascending order. */
  public List<String> names(Connection c) {
    try (PreparedStatement ps = c.prepareStatement("SELECT name FROM secrets ORDER BY name");
        ResultSet rs = ps.executeQuery()) {
      List<String> names = new ArrayList<>();
      while (rs.next()) {
        names.add(rs.getString(1));
      }
      return List.copyOf(names);
    } catch (SQLException e) {
      throw new StoreException("cannot list secrets in table secrets: " + e.getMessage(), e);
    }
  }

  /** Removes the secret stored under {@code name}; does nothing if there is none. */
  public void delete(Connection c, String name) {
    checkName(name);
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM secrets WHERE name = ?")) {
      ps.setString(1, name);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw failure("delete", name, e);
    }
  }

  // The name is part of the associated data, so a sealed value copied to another row fails to open.
  private static String aad(String name) {
    return AAD_PREFIX + name;
  }

  private static void checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a secret name must not be blank");
    }
  }

  private static StoreException failure(String verb, String name, SQLException e) {
    return new StoreException(
        "cannot " + verb + " secret '" + name + "' in table secrets: " + e.getMessage(), e);
  }
}
