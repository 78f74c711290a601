package io.fiscald.store;

/**
 * A local API token as stored: never the token itself, only its SHA-256 hash.
 *
 * @param role cashier, technician or admin
 * @param revokedAt null while the token is valid
 */
public record ApiToken(String name, String role, byte[] tokenHash, String createdAt, String revokedAt) {
  public boolean active() {
    return revokedAt == null;
  }

  @Override
  public String toString() {
    return "ApiToken[name=" + name + ", role=" + role + ", createdAt=" + createdAt + ", revokedAt=" + revokedAt + "]";
  }
}
