package io.fiscald.agent.audit;

/** The first thing the audit found wrong: the journal {@code seq} it concerns and what is wrong there. */
public record AuditFinding(long seq, String problem) {
  @Override
  public String toString() {
    return "journal seq " + seq + ": " + problem;
  }
}
