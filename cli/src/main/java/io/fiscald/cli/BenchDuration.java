package io.fiscald.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations of the bench options as a technician types them: {@code 10s}, {@code 500ms}, {@code 2m}. */
final class BenchDuration implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String text) {
    String t = text.strip().toLowerCase(java.util.Locale.ROOT);
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (t.endsWith("s")) {
        return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
      }
      if (t.endsWith("m")) {
        return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new TypeConversionException("'" + text + "' is not a duration; write e.g. 10s, 500ms or 2m");
  }
}
