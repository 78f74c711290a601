package io.fiscald.agent.config;

/**
 * One setting of {@code fiscald.conf}: its name, type, default and one-line documentation. A secret
 * key never takes a value in the file: it comes from {@link #envVar()} or from the 0600 file named
 * by {@link #fileKey()}.
 *
 * @param defaultValue the default as it would be written in the file; null when there is none
 * @param envVar environment variable that supplies (secret) or overrides the value, or null
 * @param fileKey for a secret, the key naming its key file, or null
 */
public record ConfigKey(String name, ConfigType type, String defaultValue, String doc, boolean secret,
    String envVar, String fileKey) {

  static ConfigKey of(String name, ConfigType type, String defaultValue, String doc) {
    return new ConfigKey(name, type, defaultValue, doc, false, null, null);
  }

  static ConfigKey secret(String name, String envVar, String fileKey, String doc) {
    return new ConfigKey(name, ConfigType.SECRET, null, doc, true, envVar, fileKey);
  }

  ConfigKey withEnv(String variable) {
    return new ConfigKey(name, type, defaultValue, doc, secret, variable, fileKey);
  }
}
