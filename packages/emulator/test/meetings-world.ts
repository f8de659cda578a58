/**
 * The world each meetings-*.test.ts suite starts from, on a Zemu of its own: the demo app's token,
 * a member of the demo account (a host to schedule for), and another account's owner with a token
 * of that account (for the answers about meetings out of reach).
 */
import assert from 'node:assert/strict';
import { s2s, startTestZemu, type TestZemu } from './helpers.js';

export const CREATE = '/users/{userId}/meetings';
export const ONE = '/meetings/{meetingId}';

/** The claims of the ZAK in a meeting's start_url. */
export function zakOf(startUrl: string): Record<string, unknown> {
  const zak = new URL(startUrl).searchParams.get('zak') as string;
  return JSON.parse(Buffer.from(zak.split('.')[1] as string, 'base64url').toString('utf8'));
}

export interface MeetingsWorld {
  z: TestZemu;
  token: string;
  other: { token: string; userId: string };
  member: { id: string; email: string };
}

export async function meetingsWorld(): Promise<MeetingsWorld> {
  const z = await startTestZemu();
  const token = await z.s2sToken();
  const acct = await z.control('POST', '/accounts', {
    name: 'Other',
    plan: 'pro',
    owner: { email: 'boss@other.test' },
  });
  assert.equal(acct.status, 201, acct.text);
  const other = {
    token: await s2s(z, ['meeting:write:admin', 'meeting:read:admin'], acct.body.id),
    userId: acct.body.owner.id,
  };
  const m = await z.control('POST', `/accounts/${z.demo.account_id}/users`, {
    email: 'member@demo.zemu.test',
    first_name: 'Mem',
    last_name: 'Ber',
  });
  assert.equal(m.status, 201, m.text);
  return { z, token, other, member: { id: m.body.id, email: m.body.email } };
}

/** POST /v2/users/{userId}/meetings; suites bind it to their current token. */
export const createMeeting = (z: TestZemu, body: unknown, userId: string, token: string) =>
  z.api('POST', `/users/${encodeURIComponent(userId)}/meetings`, token, body);
