/**
 * Event subscriptions, as Zoom's Marketplace has them: an app has one Secret Token and up to 20
 * subscriptions `{endpoint_url, events}`. An endpoint is accepted only once it answers
 * `endpoint.url_validation`, and is validated again every 72 hours of emulated time.
 */

import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import { type FieldError, zoomErrors } from '../errors/zoom.js';
import { requireObjectField } from '../http/input.js';
import type { Subscription } from '../store/models.js';
import type { Store } from '../store/store.js';
import { ZOOM_EVENTS, type ZoomEventName } from './emit.js';
import { sendSigned } from './sender.js';
import { envelopeBody, isExpectedEncryptedToken, newPlainToken, newSecretToken } from './signer.js';

export const MAX_SUBSCRIPTIONS_PER_APP = 20;
export const REVALIDATION_INTERVAL_MS = 72 * 60 * 60 * 1000;

export interface SubscriptionInput {
  endpointUrl: string;
  events: ZoomEventName[];
  secretToken?: string;
}

export const SECRET_TOKEN_RULE = 'Must be 8 to 128 characters without whitespace.';

export function isValidSecretToken(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 8 && value.length <= 128 && !/\s/.test(value);
}

const KNOWN_FIELDS = ['endpoint_url', 'events', 'secret_token'];

/** Checks `{endpoint_url, events, secret_token?}`; every bad field is named, as Zoom's code 300 does. */
export function parseSubscriptionInput(body: unknown, prefix = ''): SubscriptionInput {
  const input = requireObjectField(body, prefix || 'body');
  const errors: FieldError[] = [];
  for (const key of Object.keys(input)) {
    if (!KNOWN_FIELDS.includes(key))
      errors.push({ field: `${prefix}${key}`, message: `Unknown field; use ${KNOWN_FIELDS.join(', ')}.` });
  }
  const url = input.endpoint_url;
  if (typeof url !== 'string' || url.length === 0 || url.length > 2048 || !URL.canParse(url)) {
    errors.push({ field: `${prefix}endpoint_url`, message: 'Must be an absolute http(s) URL.' });
  } else {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      errors.push({ field: `${prefix}endpoint_url`, message: 'Must be an absolute http(s) URL.' });
    else if (parsed.hash)
      errors.push({ field: `${prefix}endpoint_url`, message: 'Must not carry a #fragment.' });
    else if (parsed.username || parsed.password)
      errors.push({ field: `${prefix}endpoint_url`, message: 'Must not carry user:password@.' });
  }
  const events = input.events;
  if (!Array.isArray(events) || events.length === 0) {
    errors.push({ field: `${prefix}events`, message: 'Must be a non-empty array of event names.' });
  } else {
    for (const name of events) {
      if (!ZOOM_EVENTS.includes(name as ZoomEventName)) {
        errors.push({
          field: `${prefix}events`,
          message: `Unsupported event ${JSON.stringify(name).slice(0, 80)}; supported: ${ZOOM_EVENTS.join(', ')}.`,
        });
      }
    }
    if (new Set(events).size !== events.length)
      errors.push({ field: `${prefix}events`, message: 'Lists an event more than once.' });
  }
  const secret = input.secret_token;
  if (secret !== undefined && !isValidSecretToken(secret)) {
    errors.push({ field: `${prefix}secret_token`, message: SECRET_TOKEN_RULE });
  }
  if (errors.length > 0) throw zoomErrors.validation(errors);
  return {
    endpointUrl: url as string,
    events: events as ZoomEventName[],
    ...(secret === undefined ? {} : { secretToken: secret as string }),
  };
}

/** The app's Secret Token; generated on first use (Zoom shows one as soon as the app exists). */
export function appSecret(store: Store, clock: Clock, clientId: string): Promise<string> {
  return store.webhooks.secrets.ensure(clientId, clock.now(), newSecretToken);
}

/**
 * Runs Zoom's URL validation: a signed `endpoint.url_validation` with a random plainToken; passes on
 * 200 with `{plainToken, encryptedToken}` within 3 s. Returns null, or what went wrong in words.
 */
export async function validateEndpoint(
  url: string,
  secretToken: string,
  clock: Clock,
  signal?: AbortSignal,
): Promise<string | null> {
  const plainToken = newPlainToken();
  const body = envelopeBody('endpoint.url_validation', clock.now(), { plainToken });
  const result = await sendSigned(url, body, secretToken, { signal });
  if (result.statusCode === null) return `${url}: ${result.error}`;
  const answered = result.snippet ? ` with ${JSON.stringify(result.snippet.slice(0, 200))}` : ' with no body';
  if (result.statusCode !== 200)
    return `${url} answered HTTP ${result.statusCode}${answered}; expected 200 with {plainToken, encryptedToken}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.body ?? '');
  } catch {
    return `${url} answered 200${answered}: not JSON; expected {plainToken, encryptedToken}`;
  }
  const answer = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  if (answer.plainToken !== plainToken)
    return `${url} answered 200${answered}: plainToken is not the one sent`;
  if (
    typeof answer.encryptedToken !== 'string' ||
    !isExpectedEncryptedToken(secretToken, plainToken, answer.encryptedToken)
  )
    return `${url} answered 200${answered}: encryptedToken is not hex HMAC-SHA256(Secret Token, plainToken)`;
  return null;
}

/**
 * Registers a subscription: validates the endpoint first (with the given secret, if one is set with
 * it), then stores the subscription, and the new secret, in one transaction.
 */
export async function registerSubscription(
  store: Store,
  clock: Clock,
  clientId: string,
  input: SubscriptionInput,
): Promise<{ subscription: Subscription; secretToken: string }> {
  if ((await store.webhooks.subscriptions.count(clientId)) >= MAX_SUBSCRIPTIONS_PER_APP) {
    throw tooManySubscriptions();
  }
  const secretToken = input.secretToken ?? (await appSecret(store, clock, clientId));
  const failure = await validateEndpoint(input.endpointUrl, secretToken, clock);
  if (failure) throw zoomErrors.webhookUrlValidationFailed(failure);
  const now = clock.now();
  const subscription = validatedSubscription(clientId, input, now);
  await store.transaction(async (trx) => {
    if ((await trx.webhooks.subscriptions.count(clientId)) >= MAX_SUBSCRIPTIONS_PER_APP)
      throw tooManySubscriptions();
    if (input.secretToken !== undefined) await trx.webhooks.secrets.set(clientId, input.secretToken, now);
    await trx.webhooks.subscriptions.insert(subscription);
  });
  return { subscription, secretToken };
}

/** Deletes the subscription and cancels its pending deliveries; returns how many subscriptions went. */
export async function deleteSubscription(store: Store, id: string, at: number): Promise<number> {
  await store.webhooks.deliveries.cancelPendingOf(id, at);
  return store.webhooks.subscriptions.delete(id);
}

/** A subscription that has just passed its URL validation (or is taken as having passed it). */
function validatedSubscription(clientId: string, input: SubscriptionInput, now: number): Subscription {
  return {
    id: randomUUID(),
    clientId,
    endpointUrl: input.endpointUrl,
    events: input.events,
    validated: true,
    validatedAt: now,
    nextValidationAt: now + REVALIDATION_INTERVAL_MS,
    lastValidationError: null,
    createdAt: now,
  };
}

const tooManySubscriptions = () =>
  zoomErrors.validation([
    {
      field: 'endpoint_url',
      message: `An app can have at most ${MAX_SUBSCRIPTIONS_PER_APP} event subscriptions.`,
    },
  ]);

/**
 * Seed files state a fixed world: their subscriptions are taken as validated at load (the receiver is
 * usually not up yet) and re-validated 72 hours later like any other. Idempotent by endpoint URL.
 */
export async function seedSubscription(
  store: Store,
  clock: Clock,
  clientId: string,
  input: SubscriptionInput,
  existing: readonly Subscription[],
): Promise<boolean> {
  if (existing.some((s) => s.endpointUrl === input.endpointUrl)) return false;
  if (existing.length >= MAX_SUBSCRIPTIONS_PER_APP)
    throw new Error(`an app can have at most ${MAX_SUBSCRIPTIONS_PER_APP} event subscriptions`);
  const now = clock.now();
  await store.webhooks.subscriptions.insert(validatedSubscription(clientId, input, now));
  return true;
}

/** Validates a subscription again and records the outcome; a failure stops deliveries to it. */
export async function revalidate(
  store: Store,
  clock: Clock,
  subscription: Subscription,
  signal?: AbortSignal,
): Promise<string | null> {
  const secretToken =
    (await store.webhooks.secrets.get(subscription.clientId)) ??
    (await appSecret(store, clock, subscription.clientId));
  const failure = await validateEndpoint(subscription.endpointUrl, secretToken, clock, signal);
  // Stopping is not the endpoint's fault: record nothing; the claim lapses and the check runs again.
  if (signal?.aborted) return failure;
  const now = clock.now();
  await store.webhooks.subscriptions.setValidation(
    subscription.id,
    failure === null
      ? { validated: true, at: now, nextAt: now + REVALIDATION_INTERVAL_MS }
      : { validated: false, error: failure },
  );
  return failure;
}
