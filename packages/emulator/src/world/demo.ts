/** The demo account created on first start, so that `npm start` has something to call at once. */
import { ALL_MEETING_SCOPES_GRANULAR } from '../api/meetings/scopes.js';
import type { Keys } from '../crypto.js';
import { ALL_USER_SCOPES_GRANULAR } from '../guard/scopes.js';
import { zoomId } from '../ids.js';
import type { Store } from '../store/store.js';
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

/** Returns the demo's credentials, creating the demo world if this installation has none yet. */
export async function ensureDemo(store: Store, world: World, keys: Keys): Promise<DemoCredentials> {
  const existing = await store.meta.get(DEMO_KEY);
  if (existing) {
    const demo = JSON.parse(existing) as StoredDemo;
    return { ...demo, client_secret: keys.demoSecret(demo.client_id), password: DEMO_PASSWORD };
  }
  const { account, owner } = await world.createAccount({
    name: 'Zemu Demo',
    plan: 'pro',
    owner: { email: DEMO_EMAIL, first_name: 'Demo', last_name: 'Owner', password: DEMO_PASSWORD },
  });
  const clientId = zoomId();
  const { app } = await world.createApp(account.id, {
    name: 'Zemu Demo Server-to-Server',
    type: 'server_to_server',
    scopes: [...ALL_USER_SCOPES_GRANULAR, ...ALL_MEETING_SCOPES_GRANULAR],
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
