package io.fiscald.agent.device;

import io.fiscald.agent.core.ErrorCode;
import io.fiscald.agent.core.FiscalException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Production material is never used against a sandbox URL, nor sandbox material against a
 * production one. Checked wherever an authority client is built: ZIMRA's and KRA's known test hosts
 * against their production hosts, and loopback or plain-http test doubles (the simulators) only for
 * a sandbox device with {@code test-mode} on.
 */
public final class EnvironmentGuard {
  private static final Set<String> PRODUCTION_HOSTS = Set.of("fdmsapi.zimra.co.zw", "etims-api.kra.go.ke",
      "api.kra.go.ke", "etims.kra.go.ke");
  private static final Set<String> SANDBOX_HOSTS = Set.of("fdmsapitest.zimra.co.zw", "etims-api-sbx.kra.go.ke",
      "sbx.kra.go.ke", "etims-sbx.kra.go.ke");

  private EnvironmentGuard() {}

  /** What kind of place a URL points at. */
  public enum Target { PRODUCTION_HOST, SANDBOX_HOST, LOOPBACK, OTHER }

  /** Classifies {@code url} by its host alone (no DNS lookup). */
  public static Target classify(String url) {
    String host = host(url);
    if (PRODUCTION_HOSTS.contains(host)) {
      return Target.PRODUCTION_HOST;
    }
    if (SANDBOX_HOSTS.contains(host)
        || (host.endsWith(".kra.go.ke") || host.endsWith(".zimra.co.zw")) && host.matches(".*(sbx|test).*")) {
      return Target.SANDBOX_HOST;
    }
    if (host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]")
        || host.equals("0:0:0:0:0:0:0:1")) {
      return Target.LOOPBACK;
    }
    return Target.OTHER;
  }

  /** Why {@code url} must not be used by a device of {@code environment}, or null when it may. */
  public static String problem(String environment, String url, boolean testMode) {
    boolean https = url != null && url.toLowerCase(Locale.ROOT).startsWith("https://");
    Target target = classify(url);
    if (DataRoot.PRODUCTION.equals(environment)) {
      if (!https) {
        return "a production device talks to its authority over https:// only, not " + url;
      }
      if (target == Target.SANDBOX_HOST) {
        return "a production device must not use the sandbox host of " + url;
      }
      if (target == Target.LOOPBACK) {
        return "a production device must not use a loopback test double (" + url + ")";
      }
      return null;
    }
    if (target == Target.PRODUCTION_HOST) {
      return "a sandbox device must not use the production host of " + url
          + "; register the production device with --env production";
    }
    if (!testMode && (!https || target == Target.LOOPBACK)) {
      return "plain-http and loopback test doubles (" + url + ") are allowed only with test-mode = true in"
          + " fiscald.conf (sandbox only)";
    }
    return null;
  }

  /** Refuses with ENVIRONMENT_MISMATCH when {@code url} does not belong to {@code environment}. */
  public static void check(String authority, String environment, String url, boolean testMode) {
    String problem = problem(environment, url, testMode);
    if (problem != null) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("authority", authority);
      details.put("environment", environment);
      details.put("url", url);
      throw new FiscalException(ErrorCode.ENVIRONMENT_MISMATCH, "refusing to reach " + authority + " at " + url
          + ": " + problem, details);
    }
  }

  private static String host(String url) {
    try {
      String h = URI.create(url == null ? "" : url.strip()).getHost();
      return h == null ? "" : h.toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
