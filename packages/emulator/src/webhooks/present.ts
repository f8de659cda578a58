/** The control API's views of subscriptions, deliveries and attempts (times in ISO 8601 UTC). */

import type { Attempt, Delivery, Subscription } from '../store/models.js';
import { isoOrNull } from '../time.js';

export function presentSubscription(sub: Subscription) {
  return {
    id: sub.id,
    client_id: sub.clientId,
    endpoint_url: sub.endpointUrl,
    events: sub.events,
    validated: sub.validated,
    validated_at: isoOrNull(sub.validatedAt),
    next_validation_at: isoOrNull(sub.nextValidationAt),
    last_validation_error: sub.lastValidationError,
    created_at: isoOrNull(sub.createdAt),
  };
}

export function presentDelivery(delivery: Delivery) {
  return {
    id: delivery.id,
    event: delivery.event,
    event_id: delivery.eventId,
    account_id: delivery.accountId,
    client_id: delivery.clientId,
    subscription_id: delivery.subscriptionId,
    endpoint_url: delivery.endpointUrl,
    status: delivery.status,
    attempt_count: delivery.attemptCount,
    next_attempt_at: isoOrNull(delivery.nextAttemptAt),
    last_error: delivery.lastError,
    created_at: isoOrNull(delivery.createdAt),
    completed_at: isoOrNull(delivery.completedAt),
  };
}

export function presentAttempt(attempt: Attempt) {
  return {
    number: attempt.number,
    at: isoOrNull(attempt.at),
    ok: attempt.ok,
    status_code: attempt.statusCode,
    error: attempt.error,
    duration_ms: attempt.durationMs,
    response_snippet: attempt.responseSnippet,
    request_timestamp: attempt.requestTimestamp,
    tracking_id: attempt.trackingId,
  };
}
