package io.fiscald.agent.audit;

/**
 * The outcome of an audit: how much was checked and, when it failed, the first finding.
 *
 * @param finding null when the audit passed
 */
public record AuditReport(long entriesChecked, long receiptsChecked, long headSeq, AuditFinding finding) {
  public boolean ok() {
    return finding == null;
  }
}
