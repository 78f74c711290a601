package io.fiscald.agent.core;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * The {@code Idempotency-Key} of an API call that changes state. The fiscal core's writer stores the
 * call's answer under it in the very transaction that makes the change, so a retry after a crash
 * finds either both or neither.
 *
 * @param tokenName keys are scoped per API token
 * @param requestHash SHA-256 of the request (method, path, body): a reused key with another body is refused
 * @param status the HTTP status to store with the answer
 * @param answer renders the committed result as the exact response body, on the writer thread
 * @param ttl a stored key older than this has expired and may be used again
 */
public record IdempotencyKey<T>(String tokenName, String key, byte[] requestHash, int status,
    Function<T, String> answer, Duration ttl) {
  public IdempotencyKey {
    Objects.requireNonNull(tokenName, "tokenName");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(requestHash, "requestHash");
    Objects.requireNonNull(answer, "answer");
    Objects.requireNonNull(ttl, "ttl");
  }
}
