package io.fiscald.agent.print;

/**
 * The receipt printer as {@code fiscalctl status} and the POS see it.
 *
 * @param status the last status read ({@code ready}, {@code offline, paper out}, ...), or {@code unknown}
 * @param ready whether the last status allowed printing
 * @param paperNearEnd the alert raised before paper runs out: replace the roll soon
 * @param pendingJobs jobs waiting in the queue when last looked
 * @param printedJobs jobs printed since the worker started
 * @param lastError the last failure, or null after a success
 * @param lastPrintedAt when the last job printed (UTC, ISO-8601), or null
 */
public record PrinterState(String printer, String status, boolean ready, boolean paperNearEnd, long pendingJobs,
    long printedJobs, String lastError, String lastPrintedAt) {}
