package io.fiscald.agent.core;

/** The kinds of fiscal event the journal records; stored as text, so never rename one. */
public final class JournalKind {
  public static final String DEVICE_INITIALISED = "DEVICE_INITIALISED";
  public static final String DAY_OPENED = "DAY_OPENED";
  public static final String RECEIPT = "RECEIPT";
  public static final String DAY_CLOSED = "DAY_CLOSED";
  public static final String BACKUP_RESTORED = "BACKUP_RESTORED";

  private JournalKind() {}
}
