package io.fiscald.store;

import java.sql.Connection;

/** Named monotonic counters (global receipt number, per-type invoice numbers, day number). */
public final class Counters {
  public static final String GLOBAL_NO = "receipt.global";
  public static final String DAY_NO = "day.number";

  private Counters() {}

  /** The per-type invoice counter's name, e.g. {@code receipt.invoice.CREDIT_NOTE}. */
  public static String invoiceCounter(String receiptType) {
    return "receipt.invoice." + receiptType;
  }

  public static long get(Connection c, String name) {
    return Sql.scalarLong(c, "read counter " + name, "SELECT value FROM counters WHERE name = ?", name);
  }

  public static void set(Connection c, String name, long value) {
    Sql.update(c, "set counter " + name,
        "INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        name, value);
  }

  public static java.util.Map<String, Long> all(Connection c) {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    Sql.list(c, "read counters", rs -> out.put(rs.getString(1), rs.getLong(2)),
        "SELECT name, value FROM counters");
    return out;
  }
}
