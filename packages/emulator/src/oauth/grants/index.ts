/** Every grant the token endpoint knows. Add a grant by adding its module here. */
import { accountCredentials } from './account-credentials.js';
import { clientCredentials } from './client-credentials.js';
import type { Grant } from './types.js';

export const grants: ReadonlyMap<string, Grant> = new Map(
  [accountCredentials, clientCredentials].map((g) => [g.grantType, g]),
);
