package io.fiscald.agent.authority.zimra;

import java.time.Duration;
import java.time.Instant;

/**
 * Where a fiscal day stands against ZIMRA's day length (checklist 4–5): the time left before
 * {@code taxPayerDayMaxHrs}, and whether the {@code taxpayerDayEndNotificationHrs} warning applies.
 */
public record ZimraDayLimit(Instant opened, Instant deadline, Duration remaining, boolean warning, boolean expired) {

  public static ZimraDayLimit of(Instant opened, Instant now, ZimraConfig config) {
    Instant deadline = opened.plus(Duration.ofHours(config.taxPayerDayMaxHrs()));
    Duration remaining = Duration.between(now, deadline);
    boolean expired = remaining.isNegative();
    boolean warning = !expired && remaining.compareTo(Duration.ofHours(config.taxpayerDayEndNotificationHrs())) <= 0;
    return new ZimraDayLimit(opened, deadline, remaining, warning, expired);
  }
}
