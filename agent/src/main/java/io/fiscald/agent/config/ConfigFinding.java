package io.fiscald.agent.config;

/**
 * One thing wrong with the configuration, as {@code fiscalctl config check} lists it.
 *
 * @param key the setting concerned ({@code device} for the device's stored authority settings)
 * @param line line of {@code fiscald.conf}, 0 when the finding is not about one line
 * @param problem what is wrong, in plain words
 * @param fix what to do about it
 */
public record ConfigFinding(String key, int line, String problem, String fix) {
  @Override
  public String toString() {
    return (line > 0 ? "line " + line + ": " : "") + key + ": " + problem + " (fix: " + fix + ")";
  }
}
