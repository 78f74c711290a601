package io.fiscald.store;

/**
 * The stored first answer to an idempotent API call.
 *
 * @param tokenName the caller's token: keys are scoped per token
 * @param requestHash SHA-256 of the method, path and body of the first request
 * @param status the HTTP status that was answered
 * @param response the exact body that was answered
 */
public record IdempotencyRecord(String tokenName, String key, byte[] requestHash, int status, String response,
    String createdAt) {}
