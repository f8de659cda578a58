/** Every grant the token endpoint knows. Add a grant by adding its module here. */
import { accountCredentials } from './account-credentials.js';
import { authorizationCode } from './authorization-code.js';
import { clientCredentials } from './client-credentials.js';
import { refreshToken } from './refresh-token.js';
import type { Grant } from './types.js';

export const grants: ReadonlyMap<string, Grant> = new Map(
  [accountCredentials, clientCredentials, authorizationCode, refreshToken].map((g) => [g.grantType, g]),
);
