package io.fiscald.agent.api;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import java.util.Locale;

/**
 * What an API token may do. Roles are nested: a technician may do what a cashier may, an admin what
 * a technician may.
 */
public enum Role {
  /** Issues receipts (and notes), reprints, reads receipts, days and status. */
  CASHIER,
  /** Also opens and closes fiscal days, X reports, printers and sync. */
  TECHNICIAN,
  /** Also configuration: webhooks, environments. */
  ADMIN;

  public boolean includes(Role required) {
    return ordinal() >= required.ordinal();
  }

  /** The lower-case name used on the command line, in the database and in JSON. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role parse(String text) {
    for (Role r : values()) {
      if (r.wireName().equalsIgnoreCase(text == null ? "" : text.strip())) {
        return r;
      }
    }
    throw new FiscalException(ErrorCode.INVALID_ARGUMENT, "unknown role '" + text
        + "'; use cashier, technician or admin");
  }
}
