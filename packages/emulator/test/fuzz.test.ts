/**
 * Bad input never produces a 500: every /v2 operation Zemu serves gets a few hundred seeded random
 * requests (bodies built from the spec's own field names with values of random types, query strings,
 * odd path parameters: for `{meetingId}` also an ended meeting's id and uuid, encoded once, twice, or
 * badly). Every answer is below 500, and every refusal has Zoom's {code, message} shape. The past
 * meeting and report paths answer odd, double-encoded and badly encoded uuids with Zoom's 404.
 * The seed is fixed so a failure replays; ZEMU_FUZZ_SEED picks another.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import schemas from '../src/api/spec/request-schemas.json' with { type: 'json' };
import { startTestZemu, type TestZemu } from './helpers.js';

type Schema = { type?: string; properties?: Record<string, Schema>; items?: Schema; enum?: unknown[] };
const OPERATIONS = schemas as Record<string, { body?: Schema; query?: Schema }>;
const ROUNDS = 25;

/** mulberry32: a small seeded generator, so every run sends the same requests. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The past-meeting and report paths that name a meeting or an instance (instances: a meeting ID only). */
const PAST_PATHS = [
  '/past_meetings/{meetingId}',
  '/past_meetings/{meetingId}/participants',
  '/report/meetings/{meetingId}',
  '/report/meetings/{meetingId}/participants',
];

/**
 * Path segments (as sent) that name no instance: bad percent-encodings, a uuid holding `//` or
 * starting with `/` sent singly encoded, over-long, control characters, dots, emoji, encoded three
 * times, plausible uuids of nobody.
 */
const ODD_UUIDS = [
  '%25',
  '%25E0%25A4%25A',
  '%25ZZ',
  '%2F%2FabcdefghijklmnopqrstuV%3D%3D',
  '%2Fabcdefghijklmnopqrstuvw%3D%3D',
  encodeURIComponent(encodeURIComponent('//abcdefghijklmnopqrstu==')),
  encodeURIComponent(encodeURIComponent(encodeURIComponent('/abcdefghijklmnopqrstuv=='))),
  encodeURIComponent('abcdefghij+klmnopqrstu=='),
  'AAAAAAAAAAAAAAAAAAAAAA%3D%3D',
  'x'.repeat(100),
  'abc%00def',
  '..%2F..%2Fusers',
  '%F0%9F%98%80',
  '%20',
  '%3D%3D%3D%3D%3D%3D%3D%3D',
  'ab%252',
];

describe('random bad input to every /v2 operation', () => {
  let z: TestZemu;
  let token: string;
  let meetingId = '1';
  let registrantId = 'x';
  /** `{meetingId}` values: an ended meeting's id and uuid (encoded as Zoom documents, and not), odd ones. */
  let meetingIds: string[] = [];
  let meetingUuid = 'x';
  let fileIds: string[] = [];
  let downloadUrls: string[] = [];
  const random = rng(Number(process.env.ZEMU_FUZZ_SEED ?? 20261201));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const STRINGS = [
    '',
    ' ',
    'x'.repeat(3000),
    '0',
    '-1',
    '1e309',
    'true',
    'null',
    '{}',
    '[]',
    'é✓😀',
    '<b>',
    "' OR 1=1",
    '%00',
    'me',
    'a@b.c',
  ];

  function value(schema: Schema | undefined, depth: number): unknown {
    const kind = random();
    if (schema?.enum && kind < 0.25) return pick(schema.enum);
    if (schema?.properties && depth < 3 && kind < 0.6) return body(schema, depth + 1);
    if (kind < 0.3) return pick(STRINGS);
    if (kind < 0.45) return pick([0, -1, 1.5, 2 ** 53, -(2 ** 63), 99999999999, 1e308]);
    if (kind < 0.55) return random() < 0.5;
    if (kind < 0.65) return null;
    if (kind < 0.8) return [value(schema?.items, depth + 1), pick(STRINGS)];
    return { [pick(STRINGS)]: pick(STRINGS) };
  }

  function body(schema: Schema | undefined, depth = 0): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const fields = Object.entries(schema?.properties ?? {});
    const n = Math.floor(random() * Math.min(6, fields.length + 1));
    for (let i = 0; i < n; i++) {
      const [name, field] = pick(fields);
      out[name] = value(field, depth);
    }
    if (random() < 0.2) out[pick(STRINGS)] = pick(STRINGS);
    return out;
  }

  function query(schema: Schema | undefined): string {
    const params = new URLSearchParams();
    for (const name of Object.keys(schema?.properties ?? {})) {
      if (random() < 0.5) params.append(name, String(value(schema?.properties?.[name], 3)));
    }
    return params.size ? `?${params}` : '';
  }

  before(async () => {
    z = await startTestZemu();
    token = await z.s2sToken();
    // A meeting that takes registrants and records to the cloud, with one registrant and an ended,
    // recorded instance, so the registrants and recording routes reach real rows.
    const m = await z.api('POST', `/users/${z.demo.user_id}/meetings`, token, {
      topic: 'fuzz',
      settings: { approval_type: 0, auto_recording: 'cloud' },
    });
    assert.equal(m.status, 201, m.text);
    meetingId = String(m.body.id);
    meetingUuid = encodeURIComponent(encodeURIComponent(m.body.uuid));
    const r = await z.api('POST', `/meetings/${meetingId}/registrants`, token, {
      email: 'fuzz@example.test',
      first_name: 'Fuzz',
    });
    assert.equal(r.status, 201, r.text);
    registrantId = r.body.registrant_id;
    await z.control('POST', `/meetings/${meetingId}/participants`, { user_id: z.demo.user_id });
    assert.equal((await z.api('PUT', `/meetings/${meetingId}/status`, token, { action: 'end' })).status, 204);
    const recording = await z.api('GET', `/meetings/${meetingId}/recordings`, token);
    assert.equal(recording.status, 200, recording.text);
    fileIds = recording.body.recording_files.map((f: { id: string }) => f.id);
    downloadUrls = recording.body.recording_files.map((f: { download_url: string }) => f.download_url);
    // An ended meeting with participants, so the past-meeting and report paths reach real instances.
    const ended = await z.api('POST', `/users/${z.demo.user_id}/meetings`, token, { topic: 'fuzz past' });
    assert.equal(ended.status, 201, ended.text);
    await z.control('POST', `/meetings/${ended.body.id}/participants`, { user_id: z.demo.user_id });
    await z.control('POST', `/meetings/${ended.body.id}/participants`, { name: 'Guest' });
    assert.equal(
      (await z.api('PUT', `/meetings/${ended.body.id}/status`, token, { action: 'end' })).status,
      204,
    );
    const uuid = ended.body.uuid as string;
    meetingIds = [
      meetingId,
      String(ended.body.id),
      encodeURIComponent(uuid),
      encodeURIComponent(encodeURIComponent(uuid)),
      ...ODD_UUIDS,
      '0',
      '-5',
      '99999999999999999999',
      'abc',
      '1.5',
    ];
  });
  after(() => z.close());

  for (const [key, op] of Object.entries(OPERATIONS)) {
    const [method, template] = key.split(' ') as [string, string];
    test(`${key}: ${ROUNDS} random requests, none answered 5xx, every refusal Zoom-shaped`, async () => {
      for (let i = 0; i < ROUNDS; i++) {
        const userId = pick(['me', z.demo.user_id, 'nobody', 'x'.repeat(300), 'a@b.c', '%F0%9F%98%80', '..']);
        const path = template
          .replace('{userId}', userId)
          .replace('{meetingId}', pick(meetingIds))
          .replace('{registrantId}', pick([registrantId, 'nobody', 'x'.repeat(300), '%F0%9F%98%80', '..']))
          .replace('{meetingUUID}', pick([meetingUuid, meetingId, '%2F%2F', '%25ZZ', 'abc', '=']))
          .replace('{recordingId}', pick([...fileIds, 'x', '..', '%00', 'x'.repeat(300)]));
        const payload =
          op.body || method !== 'GET' ? (random() < 0.1 ? pick(STRINGS) : body(op.body)) : undefined;
        const res = await z.api(method, `${path}${query(op.query)}`, token, payload);
        const sent = `${method} ${path} ${JSON.stringify(payload)?.slice(0, 300)}`;
        assert.ok(res.status < 500, `${sent} -> ${res.status} ${res.text.slice(0, 300)}`);
        if (res.status >= 400) {
          assert.equal(typeof res.body?.code, 'number', `${sent} -> ${res.text.slice(0, 300)}`);
          assert.equal(typeof res.body?.message, 'string', `${sent} -> ${res.text.slice(0, 300)}`);
        }
      }
    });
  }

  test('/past_meetings/{meetingId}/instances takes a meeting ID only: every odd uuid is 400 code 300', async () => {
    for (const odd of ODD_UUIDS) {
      const res = await z.api('GET', `/past_meetings/${odd}/instances`, token);
      assert.equal(res.status, 400, `${odd} -> ${res.status} ${res.text.slice(0, 300)}`);
      assert.equal(res.body?.code, 300);
    }
  });

  test('a path segment that is not UTF-8 once decoded is refused by the router, Zoom-shaped, on every past path', async () => {
    for (const template of [...PAST_PATHS, '/past_meetings/{meetingId}/instances']) {
      for (const odd of ['%C0%AF%C0%AF', '%FF', '%E0%A4%A']) {
        const res = await z.api('GET', template.replace('{meetingId}', odd), token);
        assert.equal(res.status, 400, `${template} ${odd} -> ${res.status} ${res.text}`);
        assert.equal(res.body?.code, 300);
        assert.match(res.body?.message, /not valid percent-encoded UTF-8/);
      }
    }
  });

  test(`/rec/download and /rec/play: ${ROUNDS * 4} random requests, none 5xx, every refusal Zoom-shaped`, async () => {
    const tokens = [
      undefined,
      '',
      token,
      `${token}x`,
      'a.b.c',
      'eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJ6ZW11OnJlY29yZGluZ19kb3dubG9hZCJ9.sig',
      'eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.sig',
      ...STRINGS,
    ];
    for (let i = 0; i < ROUNDS * 4; i++) {
      const base = pick([
        ...downloadUrls,
        `${z.url}/rec/download/${pick(STRINGS)}`,
        `${z.url}/rec/play/..%2F`,
      ]);
      const url = random() < 0.5 ? base.replace('/rec/download/', '/rec/play/') : base;
      const credential = pick(tokens);
      const inQuery = random() < 0.5;
      const target =
        inQuery && credential !== undefined ? `${url}?access_token=${encodeURIComponent(credential)}` : url;
      const headers: Record<string, string> = {};
      if (!inQuery && credential !== undefined)
        headers.authorization = pick(['Bearer ', 'Basic ', 'bearer  ']) + credential;
      let res: Response;
      try {
        res = await fetch(target, { headers });
      } catch {
        continue; // a header value fetch itself refuses to send
      }
      const text = await res.text();
      assert.ok(res.status < 500, `${target} -> ${res.status} ${text.slice(0, 300)}`);
      if (res.status >= 400) {
        const parsed = JSON.parse(text) as { code?: unknown; message?: unknown };
        assert.equal(typeof parsed.code, 'number', `${target} -> ${text.slice(0, 300)}`);
        assert.equal(typeof parsed.message, 'string', `${target} -> ${text.slice(0, 300)}`);
      }
    }
  });

  for (const template of PAST_PATHS) {
    test(`${template}: odd, double-encoded and badly encoded uuids are Zoom's 404 3001`, async () => {
      for (const odd of ODD_UUIDS) {
        const res = await z.api('GET', template.replace('{meetingId}', odd), token);
        const sent = `GET ${template.replace('{meetingId}', odd)}`;
        assert.equal(res.status, 404, `${sent} -> ${res.status} ${res.text.slice(0, 300)}`);
        assert.equal(res.body?.code, 3001, `${sent} -> ${res.text.slice(0, 300)}`);
        assert.equal(typeof res.body?.message, 'string');
      }
    });
  }

  test('the world still answers: the demo owner, its token and the user list', async () => {
    assert.equal((await z.api('GET', `/users/${z.demo.user_id}`, token)).status, 200);
    assert.equal((await z.api('GET', '/users', token)).status, 200);
  });
});
