/** What a control route's path names, or the control API's 404 (an over-long id names nothing and is cut in the answer). */
import type { Ctx } from '../context.js';
import { zoomErrors } from '../errors/zoom.js';
import type { App } from '../store/models.js';

const CLIENT_ID_MAX = 128;

export async function findApp(ctx: Ctx, clientId: string): Promise<App> {
  const found = clientId.length <= CLIENT_ID_MAX ? await ctx.store.apps.findByClientId(clientId) : undefined;
  if (!found) throw zoomErrors.controlNotFound('App', clientId.slice(0, CLIENT_ID_MAX));
  return found;
}
