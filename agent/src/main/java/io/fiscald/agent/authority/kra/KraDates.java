package io.fiscald.agent.authority.kra;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** eTIMS date formats, always in Africa/Nairobi (sheet §8); lookups answer in other shapes, read leniently. */
public final class KraDates {
  public static final ZoneId NAIROBI = ZoneId.of("Africa/Nairobi");
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final DateTimeFormatter DASHED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  /** Sheet §8: the first full pull of a code list asks for everything since this. */
  public static final String FIRST_PULL = "20180101000000";

  private KraDates() {}

  /** {@code yyyyMMddHHmmss} in Nairobi time: cfmDt, rcptPbctDt, rfdDt, lastReqDt. */
  public static String stamp(Instant instant) {
    return STAMP.format(instant.atZone(NAIROBI));
  }

  /** {@code yyyyMMdd} in Nairobi time: salesDt, ocrnDt. */
  public static String day(Instant instant) {
    return DAY.format(instant.atZone(NAIROBI));
  }

  /**
   * A control-unit time as eTIMS sent it: {@code yyyyMMddHHmmss}, or from lookups {@code yyyy-MM-dd HH:mm:ss}
   * with an optional {@code .S} tail (sheet §8); empty when it is none of these.
   */
  public static Optional<LocalDateTime> parse(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    String t = text.trim();
    int dot = t.indexOf('.');
    if (dot > 0 && t.contains("-")) {
      t = t.substring(0, dot);
    }
    t = t.replace('T', ' ');
    try {
      return Optional.of(LocalDateTime.parse(t, t.contains("-") ? DASHED : STAMP));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** A control-unit time normalised to {@code yyyyMMddHHmmss}, or the text unchanged when it cannot be read. */
  public static String normalise(String text) {
    return parse(text).map(STAMP::format).orElse(text);
  }
}
