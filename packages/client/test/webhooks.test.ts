/**
 * Webhook verification. Zemu's webhook sender had not landed on main: signatures here are made the
 * way Zoom's contract says (v0=hex HMAC-SHA256(secret, "v0:{ts}:{body}")), computed independently.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  handleWebhook,
  isValidWebhook,
  signWebhook,
  urlValidationResponse,
  verifyWebhook,
  ZoomWebhookVerificationError,
} from '@zemu/client';

const SECRET = 'whsec-test-secret';
const NOW = Date.parse('2026-01-01T00:00:00Z');
const TS = String(NOW / 1000);
// Raw body with spacing that JSON.stringify(JSON.parse(body)) would NOT reproduce.
const BODY =
  '{"event": "user.created", "event_ts": 1767225600000, "payload": {"account_id": "acc", "object": {"id": "u1"}}}';
const zoomSignature = (ts: string, body: string, secret = SECRET) =>
  `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;

const flipLast = (s: string) => `${s.slice(0, -1)}${s.endsWith('0') ? '1' : '0'}`;

describe('webhooks', () => {
  test('accepts a correctly signed raw body (with spacing a re-serialiser would lose)', () => {
    const event = verifyWebhook({
      secretToken: SECRET,
      rawBody: BODY,
      headers: { 'x-zm-signature': zoomSignature(TS, BODY), 'x-zm-request-timestamp': TS },
      now: () => NOW,
    });
    assert.equal(event.event, 'user.created');
    assert.equal(signWebhook(SECRET, TS, BODY), zoomSignature(TS, BODY));
  });

  test('accepts Buffer bodies and Fetch Headers', () => {
    const headers = new Headers({ 'X-Zm-Signature': zoomSignature(TS, BODY), 'X-Zm-Request-Timestamp': TS });
    assert.ok(isValidWebhook({ secretToken: SECRET, rawBody: Buffer.from(BODY), headers, now: () => NOW }));
  });

  test('rejects a changed body, a wrong secret and a missing header, saying which', () => {
    const headers = { 'x-zm-signature': zoomSignature(TS, BODY), 'x-zm-request-timestamp': TS };
    const reason = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        assert.ok(error instanceof ZoomWebhookVerificationError);
        return error.reason;
      }
      return 'accepted';
    };
    const reserialised = JSON.stringify(JSON.parse(BODY));
    assert.equal(
      reason(() => verifyWebhook({ secretToken: SECRET, rawBody: reserialised, headers, now: () => NOW })),
      'bad_signature',
    );
    assert.equal(
      reason(() => verifyWebhook({ secretToken: 'other', rawBody: BODY, headers, now: () => NOW })),
      'bad_signature',
    );
    assert.equal(
      reason(() =>
        verifyWebhook({
          secretToken: SECRET,
          rawBody: BODY,
          headers: { 'x-zm-request-timestamp': TS },
          now: () => NOW,
        }),
      ),
      'missing_headers',
    );
    assert.equal(
      reason(() =>
        verifyWebhook({
          secretToken: SECRET,
          rawBody: BODY,
          headers: { ...headers, 'x-zm-signature': flipLast(headers['x-zm-signature']) },
          now: () => NOW,
        }),
      ),
      'bad_signature',
    );
  });

  test('rejects timestamps outside the tolerance (replay), and accepts them inside it', () => {
    const sign = (ts: string) => ({
      'x-zm-signature': zoomSignature(ts, BODY),
      'x-zm-request-timestamp': ts,
    });
    const old = String(NOW / 1000 - 301);
    assert.throws(
      () => verifyWebhook({ secretToken: SECRET, rawBody: BODY, headers: sign(old), now: () => NOW }),
      (e) => e instanceof ZoomWebhookVerificationError && e.reason === 'stale_timestamp',
    );
    assert.ok(
      isValidWebhook({
        secretToken: SECRET,
        rawBody: BODY,
        headers: sign(String(NOW / 1000 - 299)),
        now: () => NOW,
      }),
    );
    assert.ok(
      isValidWebhook({
        secretToken: SECRET,
        rawBody: BODY,
        headers: sign(old),
        now: () => NOW,
        toleranceSeconds: 600,
      }),
    );
    // millisecond timestamps are read as such
    assert.ok(
      isValidWebhook({ secretToken: SECRET, rawBody: BODY, headers: sign(String(NOW)), now: () => NOW }),
    );
  });

  test('refuses a parsed object in place of the raw body', () => {
    assert.throws(
      () =>
        verifyWebhook({
          secretToken: SECRET,
          rawBody: JSON.parse(BODY),
          headers: { 'x-zm-signature': 'v0=00', 'x-zm-request-timestamp': TS },
          now: () => NOW,
        }),
      TypeError,
    );
  });

  test('endpoint.url_validation: encryptedToken = hex HMAC-SHA256(secret, plainToken), after verifying', () => {
    const plainToken = 'qgg8vlvZRS6UYooatFL8Aw';
    const expected = createHmac('sha256', SECRET).update(plainToken).digest('hex');
    assert.deepEqual(urlValidationResponse(SECRET, plainToken), { plainToken, encryptedToken: expected });
    const body = JSON.stringify({ event: 'endpoint.url_validation', event_ts: NOW, payload: { plainToken } });
    const answer = handleWebhook({
      secretToken: SECRET,
      rawBody: body,
      headers: { 'x-zm-signature': zoomSignature(TS, body), 'x-zm-request-timestamp': TS },
      now: () => NOW,
    });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { plainToken, encryptedToken: expected });
    const forged = handleWebhook({
      secretToken: SECRET,
      rawBody: body,
      headers: { 'x-zm-signature': zoomSignature(TS, body, 'attacker'), 'x-zm-request-timestamp': TS },
      now: () => NOW,
    });
    assert.equal(forged.status, 401);
  });
});
