package io.fiscald.bench.reliability;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The device state a refused request must not touch: journal head, receipts, counters, days, the print
 * and sync queues, webhooks and tokens, as one comparable string read from the live database.
 */
public record StateSnapshot(String value) {
  private static final List<String> QUERIES = List.of(
      "SELECT coalesce(max(seq), 0) FROM journal",
      "SELECT count(*) FROM receipts",
      "SELECT coalesce(group_concat(name || '=' || value, ','), '') FROM (SELECT * FROM counters ORDER BY name)",
      "SELECT count(*) FROM fiscal_days",
      "SELECT count(*) FROM print_jobs",
      "SELECT count(*) FROM outbox",
      "SELECT count(*) FROM webhook_subscriptions",
      "SELECT count(*) FROM api_tokens");

  public static StateSnapshot read(Connection c) throws SQLException {
    StringBuilder b = new StringBuilder();
    try (Statement st = c.createStatement()) {
      for (String q : QUERIES) {
        try (ResultSet rs = st.executeQuery(q)) {
          b.append(rs.next() ? rs.getString(1) : "").append(" | ");
        } catch (SQLException e) {
          if (!e.getMessage().contains("no such table")) {
            throw e;
          }
        }
      }
    }
    return new StateSnapshot(b.toString());
  }
}
