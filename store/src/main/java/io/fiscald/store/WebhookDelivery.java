package io.fiscald.store;

/**
 * One event on its way to one subscription.
 *
 * @param status PENDING (to be tried at {@code nextAttemptAt}), DELIVERED or DEAD (gave up)
 */
public record WebhookDelivery(long id, long subscriptionId, String eventId, String eventType, String payload,
    String status, int attempts, String nextAttemptAt, String lastError, String createdAt, String deliveredAt) {}
