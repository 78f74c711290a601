package io.fiscald.agent.core;

/** The kinds of fiscal event the journal records; stored as text, so never rename one. */
public final class JournalKind {
  public static final String DEVICE_INITIALISED = "DEVICE_INITIALISED";
  public static final String DAY_OPENED = "DAY_OPENED";
  public static final String RECEIPT = "RECEIPT";
  public static final String DAY_CLOSED = "DAY_CLOSED";
  public static final String BACKUP_RESTORED = "BACKUP_RESTORED";
  /** The device was registered with its tax authority (certificate, control-unit ids). */
  public static final String DEVICE_REGISTERED = "DEVICE_REGISTERED";
  public static final String CERTIFICATE_CHANGED = "CERTIFICATE_CHANGED";
  public static final String ENVIRONMENT_SWITCHED = "ENVIRONMENT_SWITCHED";
  public static final String CONFIGURATION_CHANGED = "CONFIGURATION_CHANGED";
  /** A technician declared a day the authority had closed by other means (a portal upload) accepted. */
  public static final String AUTHORITY_DAY_ACCEPTED = "AUTHORITY_DAY_ACCEPTED";

  private JournalKind() {}
}
