package io.fiscald.agent.api;

import io.fiscald.agent.api.internal.Json;
import io.fiscald.agent.core.IdempotencyKey;
import io.fiscald.agent.core.Timestamps;
import io.fiscald.store.IdempotencyKeys;
import io.fiscald.store.IdempotencyRecord;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/** The idempotency key of the request being handled, ready to be stored with its answer. */
final class Idempotency {
  final String tokenName;
  final String key;
  final byte[] requestHash;
  final Duration ttl;
  /** The answer the writer stored under the key, as committed (the writer renders it again if it retries a batch). */
  private volatile String committedAnswer;

  Idempotency(String tokenName, String key, byte[] requestHash, Duration ttl) {
    this.tokenName = tokenName;
    this.key = key;
    this.requestHash = requestHash;
    this.ttl = ttl;
  }

  /** For a change the fiscal core makes: the writer stores {@code view(result)} in the same transaction. */
  <T> IdempotencyKey<T> forCore(int status, Function<T, Object> view) {
    return new IdempotencyKey<>(tokenName, key, requestHash, status, t -> {
      String body = Json.write(view.apply(t));
      committedAnswer = body;
      return body;
    }, ttl);
  }

  /**
   * The body the fiscal core stored with the key, once its change has committed (null before): when the
   * answer to send is the same document, it is sent as stored rather than written a second time.
   */
  String committedAnswer() {
    return committedAnswer;
  }

  /** For a change made on {@code c} inside a transaction the caller commits. */
  void store(Connection c, int status, String body, Instant now) {
    IdempotencyKeys.deleteIfOlderThan(c, tokenName, key, Timestamps.format(now.minus(ttl)));
    IdempotencyKeys.insert(c, new IdempotencyRecord(tokenName, key, requestHash, status, body,
        Timestamps.format(now)));
  }
}
