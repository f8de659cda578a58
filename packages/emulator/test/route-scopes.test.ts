import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Fastify from 'fastify';
import { installCaller } from '../src/guard/caller.js';
import '../src/http/types.js';

describe('scopes named once, on the route', () => {
  test('a /v2 route that declares no config.scopes fails at registration', async () => {
    const app = Fastify();
    const registered = app.register(
      async (v2) => {
        installCaller(v2);
        v2.get('/users/:userId/things', { config: { rateLimitLabel: 'Light' } }, async () => ({}));
      },
      { prefix: '/v2' },
    );
    await assert.rejects(async () => {
      await registered;
    }, /GET \/v2\/users\/:userId\/things declares no config\.scopes/);
    await app.close();
  });

  test("the handler gets the route's rule with the caller", async () => {
    const rule = { classic: ['thing:read'], granular: ['thing:read:thing'] };
    const app = Fastify();
    app.decorateRequest('principal', null);
    await app.register(
      async (v2) => {
        installCaller(v2);
        v2.get('/things', { config: { scopes: rule } }, async (request) => ({
          same: request.caller?.rule === rule,
        }));
      },
      { prefix: '/v2' },
    );
    const res = await app.inject({ method: 'GET', url: '/v2/things' });
    assert.deepEqual(res.json(), { same: true });
    await app.close();
  });
});
