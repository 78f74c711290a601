package io.fiscald.agent.api.internal;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** The API's own measurements (request latency by route and status) and the Prometheus text writer. */
public final class Metrics {
  private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

  private final ConcurrentHashMap<RouteKey, Histogram> latency = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<StatusKey, LongAdder> responses = new ConcurrentHashMap<>();

  /** Keys made of the route's constant strings: no text is built per request. */
  private record RouteKey(String method, String route) {
    String text() {
      return method + " " + route;
    }
  }

  private record StatusKey(String method, String route, int status) {
    String text() {
      return method + " " + route + " " + status;
    }
  }

  /** Records one request: {@code route} is the template ({@code /v1/receipts/{number}}), never the raw path. */
  public void observe(String method, String route, int status, long nanos) {
    latency.computeIfAbsent(new RouteKey(method, route), k -> new Histogram()).observe(nanos / 1e9);
    responses.computeIfAbsent(new StatusKey(method, route, status), k -> new LongAdder()).increment();
  }

  public void writeApi(StringBuilder out) {
    out.append("# HELP fiscald_api_request_duration_seconds Time to answer an API request.\n");
    out.append("# TYPE fiscald_api_request_duration_seconds histogram\n");
    Map<String, Histogram> byRoute = new TreeMap<>();
    latency.forEach((k, h) -> byRoute.put(k.text(), h));
    for (Map.Entry<String, Histogram> e : byRoute.entrySet()) {
      String[] mr = e.getKey().split(" ", 2);
      String labels = "method=\"" + mr[0] + "\",route=\"" + escape(mr[1]) + "\"";
      Histogram h = e.getValue();
      long cumulative = 0;
      for (int i = 0; i < BUCKETS.length; i++) {
        cumulative += h.counts[i].get();
        out.append("fiscald_api_request_duration_seconds_bucket{").append(labels).append(",le=\"")
            .append(format(BUCKETS[i])).append("\"} ").append(cumulative).append('\n');
      }
      cumulative += h.counts[BUCKETS.length].get();
      out.append("fiscald_api_request_duration_seconds_bucket{").append(labels).append(",le=\"+Inf\"} ")
          .append(cumulative).append('\n');
      out.append("fiscald_api_request_duration_seconds_sum{").append(labels).append("} ")
          .append(format(h.sum.sum())).append('\n');
      out.append("fiscald_api_request_duration_seconds_count{").append(labels).append("} ")
          .append(cumulative).append('\n');
    }
    out.append("# HELP fiscald_api_responses_total API responses by route and status.\n");
    out.append("# TYPE fiscald_api_responses_total counter\n");
    Map<String, LongAdder> byStatus = new TreeMap<>();
    responses.forEach((k, n) -> byStatus.put(k.text(), n));
    for (Map.Entry<String, LongAdder> e : byStatus.entrySet()) {
      String[] mrs = e.getKey().split(" ", 3);
      out.append("fiscald_api_responses_total{method=\"").append(mrs[0]).append("\",route=\"")
          .append(escape(mrs[1])).append("\",status=\"").append(mrs[2]).append("\"} ")
          .append(e.getValue().sum()).append('\n');
    }
  }

  /** Appends one metric family with a single sample or labelled samples. */
  public static void family(StringBuilder out, String name, String type, String help, Map<String, ? extends Number> samples) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    for (Map.Entry<String, ? extends Number> s : samples.entrySet()) {
      out.append(name).append(s.getKey().isEmpty() ? "" : "{" + s.getKey() + "}").append(' ')
          .append(format(s.getValue().doubleValue())).append('\n');
    }
  }

  public static String format(double v) {
    if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%s", v);
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static final class Histogram {
    final AtomicLong[] counts = new AtomicLong[BUCKETS.length + 1];
    final DoubleAdder sum = new DoubleAdder();

    Histogram() {
      for (int i = 0; i < counts.length; i++) {
        counts[i] = new AtomicLong();
      }
    }

    void observe(double seconds) {
      int i = 0;
      while (i < BUCKETS.length && seconds > BUCKETS[i]) {
        i++;
      }
      counts[i].incrementAndGet();
      sum.add(seconds);
    }
  }
}
