package io.fiscald.agent.doctor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of {@code fiscalctl doctor}: which check, how it went, what was seen (numbers where there
 * are numbers) and, unless all is well, what to do about it in plain words.
 */
public record Finding(String check, Status status, String summary, Map<String, Object> seen, String fix) {
  /** ok: nothing to do; warn: works, but look at it soon; fail: the till cannot trade correctly. */
  public enum Status {
    OK, WARN, FAIL;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public Finding {
    seen = Collections.unmodifiableMap(new LinkedHashMap<>(seen));
  }

  public static Finding ok(String check, String summary, Map<String, Object> seen) {
    return new Finding(check, Status.OK, summary, seen, null);
  }

  public static Finding warn(String check, String summary, Map<String, Object> seen, String fix) {
    return new Finding(check, Status.WARN, summary, seen, fix);
  }

  public static Finding fail(String check, String summary, Map<String, Object> seen, String fix) {
    return new Finding(check, Status.FAIL, summary, seen, fix);
  }

  /** A map with null values allowed, in insertion order (Map.of refuses nulls). */
  static Map<String, Object> facts(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  /** The JSON view of {@code fiscalctl doctor --json}. */
  public Map<String, Object> view() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("check", check);
    v.put("status", status.wireName());
    v.put("summary", summary);
    v.put("seen", seen);
    v.put("fix", fix);
    return v;
  }
}
