/** Every error class: from a live Zemu where it produces the error, from a contract fake otherwise. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ZoomApiError,
  ZoomClient,
  ZoomConflictError,
  ZoomError,
  ZoomInvalidClientError,
  ZoomInvalidGrantError,
  ZoomInvalidTokenError,
  ZoomMissingScopeError,
  ZoomNotFoundError,
  ZoomOAuthError,
  ZoomPermissionError,
  ZoomRateLimitError,
  ZoomServerError,
  ZoomUnsupportedGrantTypeError,
  ZoomValidationError,
} from '@zemu/client';
import { fakeZoom, json, type LiveZemu, liveZemu, tokenBody } from './helpers.js';

describe('errors from a live Zemu', () => {
  let z: LiveZemu;
  before(async () => {
    z = await liveZemu();
  });
  after(() => z.close());

  const s2s = (over: Partial<{ accountId: string; clientId: string; clientSecret: string }> = {}) =>
    new ZoomClient({
      baseUrl: z.url,
      auth: {
        type: 'server_to_server',
        accountId: z.demo.account_id,
        clientId: z.demo.client_id,
        clientSecret: z.demo.client_secret,
        ...over,
      },
    });

  test('404 code 1001 -> ZoomNotFoundError with status, code, message, trackingId, headers', async () => {
    await assert.rejects(s2s().users.get('nobody@nowhere.test'), (error) => {
      assert.ok(error instanceof ZoomNotFoundError);
      assert.ok(error instanceof ZoomApiError);
      assert.ok(error instanceof ZoomError);
      assert.equal(error.status, 404);
      assert.equal(error.code, 1001);
      assert.equal(error.message, 'User does not exist: nobody@nowhere.test.');
      assert.ok(error.trackingId);
      assert.equal(error.headers.get('x-zm-trackingid'), error.trackingId);
      assert.equal(error.retryAfter, undefined);
      return true;
    });
  });

  test('400 code 4711 -> ZoomMissingScopeError listing the scopes Zoom asked for', async () => {
    const app = await z.control('POST', `/accounts/${z.demo.account_id}/apps`, {
      name: 'narrow',
      type: 'server_to_server',
      scopes: ['user:read:user:admin'],
    });
    assert.equal(app.status, 201, JSON.stringify(app.body));
    const zoom = s2s({ clientId: app.body.client_id, clientSecret: app.body.client_secret });
    await assert.rejects(zoom.users.getToken('me', { type: 'zak' }), (error) => {
      assert.ok(error instanceof ZoomMissingScopeError);
      assert.equal(error.status, 400);
      assert.equal(error.code, 4711);
      assert.ok(error.scopes.length > 0, error.message);
      assert.ok(
        error.scopes.every((s) => s.includes(':')),
        String(error.scopes),
      );
      return true;
    });
  });

  test('wrong client secret -> ZoomInvalidClientError (OAuth), with reason and error', async () => {
    await assert.rejects(s2s({ clientSecret: 'wrong' }).users.get('me'), (error) => {
      assert.ok(error instanceof ZoomInvalidClientError);
      assert.ok(error instanceof ZoomOAuthError);
      assert.equal(error.status, 400);
      assert.equal(error.error, 'invalid_client');
      assert.equal(error.reason, 'Invalid client_id or client_secret');
      return true;
    });
  });

  test('a grant the app may not use -> ZoomUnsupportedGrantTypeError', async () => {
    const zoom = new ZoomClient({
      baseUrl: z.url,
      auth: { type: 'client_credentials', clientId: z.demo.client_id, clientSecret: z.demo.client_secret },
    });
    await assert.rejects(zoom.users.get('me'), (error) => {
      assert.ok(error instanceof ZoomUnsupportedGrantTypeError, String(error));
      assert.equal(error.error, 'unsupported_grant_type');
      return true;
    });
  });

  test('401 code 124 -> ZoomInvalidTokenError', async () => {
    const zoom = new ZoomClient({ baseUrl: z.url, auth: { type: 'static', token: 'garbage' } });
    await assert.rejects(zoom.users.get('me'), ZoomInvalidTokenError);
  });
});

describe('errors from a contract fake (Zemu had not landed these endpoints)', () => {
  const answers: Record<string, [number, unknown, Record<string, string>?]> = {
    '/v2/users/conflict': [409, { code: 1005, message: 'Email jchill@example.com has already been used.' }],
    '/v2/users/invalid': [
      400,
      {
        code: 300,
        message: 'Validation Failed.',
        errors: [{ field: 'user_info.email', message: 'Invalid field.' }],
      },
    ],
    '/v2/users/limited': [
      429,
      {
        code: 429,
        message: 'You have reached the maximum per-second rate limit for this API. Try again later.',
      },
      { 'retry-after': '120', 'x-ratelimit-type': 'QPS' },
    ],
    '/v2/users/forbidden': [
      403,
      { code: 3001, message: 'Authenticated user has not permitted access to the targeted resource.' },
    ],
    '/v2/users/broken': [500, 'upstream exploded'],
    '/v2/users/teapot': [418, { code: 9999, message: 'odd' }],
  };

  let s: Awaited<ReturnType<typeof fakeZoom>>;
  before(async () => {
    s = await fakeZoom((req, res) => {
      if (req.url.startsWith('/oauth/token')) return json(res, 200, tokenBody('t'));
      const [status, body, headers] = answers[req.url] ?? [404, { code: 1001, message: 'no' }];
      if (typeof body === 'string') return void res.writeHead(status).end(body);
      json(res, status, body, headers);
    });
  });
  after(() => s.close());

  const zoom = () =>
    new ZoomClient({
      baseUrl: s.url,
      auth: { type: 'server_to_server', accountId: 'a', clientId: 'c', clientSecret: 's' },
      maxRetries: 0,
    });

  test('409 code 1005 -> ZoomConflictError', async () => {
    await assert.rejects(
      zoom().users.get('conflict'),
      (e) => e instanceof ZoomConflictError && e.code === 1005,
    );
  });

  test('400 code 300 -> ZoomValidationError with errors[]', async () => {
    await assert.rejects(zoom().users.get('invalid'), (error) => {
      assert.ok(error instanceof ZoomValidationError);
      assert.deepEqual(error.errors, [{ field: 'user_info.email', message: 'Invalid field.' }]);
      return true;
    });
  });

  test('429 -> ZoomRateLimitError with retryAfter in seconds and the limit type', async () => {
    await assert.rejects(zoom().users.get('limited'), (error) => {
      assert.ok(error instanceof ZoomRateLimitError);
      assert.equal(error.retryAfter, 120);
      assert.equal(error.rateLimitType, 'QPS');
      assert.equal(error.daily, false);
      return true;
    });
  });

  test('403 -> ZoomPermissionError; 5xx -> ZoomServerError with the text body; other -> ZoomApiError', async () => {
    await assert.rejects(zoom().users.get('forbidden'), ZoomPermissionError);
    await assert.rejects(zoom().users.get('broken'), (e) => {
      assert.ok(e instanceof ZoomServerError);
      assert.equal(e.message, 'upstream exploded');
      return true;
    });
    await assert.rejects(zoom().users.get('teapot'), (e) => {
      assert.equal((e as Error).constructor, ZoomApiError);
      assert.equal((e as ZoomApiError).code, 9999);
      return true;
    });
  });

  test('OAuth invalid_grant -> ZoomInvalidGrantError that says to authorize again', async () => {
    const oauth = await fakeZoom((_req, res) =>
      json(res, 400, { reason: 'Invalid Token!', error: 'invalid_grant' }),
    );
    try {
      const client = new ZoomClient({
        baseUrl: oauth.url,
        auth: { type: 'user', clientId: 'c', clientSecret: 's', refreshToken: 'rotated-away' },
      });
      await assert.rejects(client.users.get('me'), (error) => {
        assert.ok(error instanceof ZoomInvalidGrantError);
        assert.equal(error.reason, 'Invalid Token!');
        assert.match(error.message, /authorize the app again/);
        return true;
      });
    } finally {
      await oauth.close();
    }
  });
});
