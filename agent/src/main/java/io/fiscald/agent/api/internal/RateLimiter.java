package io.fiscald.agent.api.internal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per API token: {@code burst} requests at once, then {@code perSecond}. A runaway
 * POS drains only its own bucket.
 */
public final class RateLimiter {
  private final double perSecond;
  private final double burst;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(double perSecond, int burst) {
    this.perSecond = perSecond;
    this.burst = burst;
  }

  /** 0 when the request may go ahead (and is counted), else the whole seconds to wait. */
  public long acquire(String key) {
    Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(burst, System.nanoTime()));
    synchronized (b) {
      long now = System.nanoTime();
      b.tokens = Math.min(burst, b.tokens + (now - b.at) / 1e9 * perSecond);
      b.at = now;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - b.tokens) / perSecond));
    }
  }

  private static final class Bucket {
    double tokens;
    long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }
  }
}
