package io.fiscald.agent.doctor;

/** One thing the doctor looks at; reports what it saw, never throws for a problem it can name. */
public interface Check {
  /** Short stable name, e.g. {@code disk-space}: the {@code check} field of its finding. */
  String name();

  Finding run(DoctorContext ctx) throws Exception;
}
