package io.fiscald.agent.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How the text of a setting becomes a typed value; {@link #parse} throws IllegalArgumentException with a reason. */
public enum ConfigType {
  BOOL("true or false"),
  INT("a whole number"),
  FRACTION("a number above 0 and at most 1, e.g. 0.9"),
  NUMBER("a number above 0, e.g. 50 or 2.5"),
  DURATION("a duration such as 30s, 15m, 24h or 14d"),
  LISTEN("HOST:PORT, e.g. 127.0.0.1:8719"),
  PATH("an absolute file or directory path"),
  LEVEL("error, warn, info, debug or trace"),
  SECRET("(environment variable or key file only)");

  private static final Pattern DURATION_TEXT = Pattern.compile("(\\d+)(s|m|h|d)");

  private final String expected;

  ConfigType(String expected) {
    this.expected = expected;
  }

  /** What a value of this type looks like, for error messages and the reference. */
  public String expected() {
    return expected;
  }

  /** The typed value of {@code text}: Boolean, Long, Double, Duration, String or Path text. */
  public Object parse(String text) {
    switch (this) {
      case BOOL -> {
        if (text.equals("true") || text.equals("false")) {
          return Boolean.valueOf(text);
        }
        throw new IllegalArgumentException("'" + text + "' is not " + expected);
      }
      case INT -> {
        try {
          long v = Long.parseLong(text);
          if (v < 0) {
            throw new IllegalArgumentException("'" + text + "' must not be negative");
          }
          return v;
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("'" + text + "' is not " + expected);
        }
      }
      case FRACTION, NUMBER -> {
        double v;
        try {
          v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("'" + text + "' is not " + expected);
        }
        if (!(v > 0) || (this == FRACTION && v > 1) || Double.isInfinite(v)) {
          throw new IllegalArgumentException("'" + text + "' is not " + expected);
        }
        return v;
      }
      case DURATION -> {
        Matcher m = DURATION_TEXT.matcher(text);
        if (!m.matches()) {
          throw new IllegalArgumentException("'" + text + "' is not " + expected);
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
        if (d.isZero()) {
          throw new IllegalArgumentException("'" + text + "' must be longer than zero");
        }
        return d;
      }
      case LISTEN -> {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || !text.substring(colon + 1).matches("\\d{1,5}")
            || Integer.parseInt(text.substring(colon + 1)) > 65535) {
          throw new IllegalArgumentException("'" + text + "' is not " + expected);
        }
        return text;
      }
      case PATH -> {
        if (!text.startsWith("/")) {
          throw new IllegalArgumentException("'" + text + "' is not " + expected);
        }
        return text;
      }
      case LEVEL -> {
        String level = text.toLowerCase(Locale.ROOT);
        if (!level.matches("error|warn|info|debug|trace")) {
          throw new IllegalArgumentException("'" + text + "' is not " + expected);
        }
        return level;
      }
      default -> throw new IllegalArgumentException("a secret is never written in the file");
    }
  }
}
