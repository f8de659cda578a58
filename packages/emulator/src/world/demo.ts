/** The demo account created on first start, so that `npm start` has something to call at once. */

import { ALL_REGISTRANT_SCOPES_GRANULAR } from '../api/meetings/registrants/scopes.js';
import { ALL_MEETING_SCOPES_GRANULAR } from '../api/meetings/scopes.js';
import { ALL_PAST_MEETING_SCOPES_GRANULAR } from '../api/past-meetings/scopes.js';
import { ALL_RECORDING_SCOPES_GRANULAR } from '../api/recordings/scopes.js';
import { ALL_REPORT_SCOPES_GRANULAR } from '../api/reports/scopes.js';
import { ALL_USER_SCOPES_GRANULAR } from '../api/users/scopes.js';
import type { Keys } from '../crypto.js';
import { zoomId } from '../ids.js';
import type { Store } from '../store/store.js';

/** Every `:admin` granular scope of the resources Zemu keeps state for: the demo app's, and a test account's. */
export const DEMO_APP_SCOPES: readonly string[] = [
  ...ALL_USER_SCOPES_GRANULAR,
  ...ALL_MEETING_SCOPES_GRANULAR,
  ...ALL_PAST_MEETING_SCOPES_GRANULAR,
  ...ALL_REPORT_SCOPES_GRANULAR,
  ...ALL_REGISTRANT_SCOPES_GRANULAR,
  ...ALL_RECORDING_SCOPES_GRANULAR,
];

import type { World } from './world.js';

export interface DemoCredentials {
  account_id: string;
  client_id: string;
  client_secret: string;
  user_id: string;
  email: string;
  /** Password of the owner, for the consent page's sign-in. */
  password: string;
}

const DEMO_KEY = 'demo';
export const DEMO_EMAIL = 'owner@demo.zemu.test';
export const DEMO_PASSWORD = 'zemu-demo-password';

interface StoredDemo {
  account_id: string;
  client_id: string;
  user_id: string;
  email: string;
}

/** The demo's credentials when this installation's state has a demo (after an import, a restore). */
export async function demoCredentials(store: Store, keys: Keys): Promise<DemoCredentials | null> {
  const existing = await store.meta.get(DEMO_KEY);
  if (!existing) return null;
  const demo = JSON.parse(existing) as StoredDemo;
  return { ...demo, client_secret: keys.demoSecret(demo.client_id), password: DEMO_PASSWORD };
}

/** Returns the demo's credentials, creating the demo world if this installation has none yet. */
export async function ensureDemo(store: Store, world: World, keys: Keys): Promise<DemoCredentials> {
  const existing = await store.meta.get(DEMO_KEY);
  const known = existing ? (JSON.parse(existing) as StoredDemo) : undefined;
  // The ids are kept once made, so a world rebuilt from scratch (a reset) has the same demo.
  if (known && (await store.accounts.findById(known.account_id))) {
    return { ...known, client_secret: keys.demoSecret(known.client_id), password: DEMO_PASSWORD };
  }
  const { account, owner } = await world.createAccount({
    ...(known ? { id: known.account_id } : {}),
    name: 'Zemu Demo',
    plan: 'pro',
    owner: {
      ...(known ? { id: known.user_id } : {}),
      email: DEMO_EMAIL,
      first_name: 'Demo',
      last_name: 'Owner',
      password: DEMO_PASSWORD,
    },
  });
  const clientId = known?.client_id ?? zoomId();
  const { app } = await world.createApp(account.id, {
    name: 'Zemu Demo Server-to-Server',
    type: 'server_to_server',
    scopes: [...DEMO_APP_SCOPES],
    client_id: clientId,
    client_secret: keys.demoSecret(clientId),
  });
  const demo: StoredDemo = {
    account_id: account.id,
    client_id: app.clientId,
    user_id: owner.id,
    email: owner.email,
  };
  await store.meta.set(DEMO_KEY, JSON.stringify(demo));
  return { ...demo, client_secret: keys.demoSecret(app.clientId), password: DEMO_PASSWORD };
}
