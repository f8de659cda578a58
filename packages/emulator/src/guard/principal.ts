import type { App, TokenRecord, User } from '../store/models.js';

/** Who is calling: what a verified bearer token stands for. */
export interface Principal {
  token: TokenRecord;
  app: App;
  accountId: string;
  /** The user the token acts as (the app owner for Server-to-Server); null for client_credentials. */
  user: User | null;
  scopes: ReadonlySet<string>;
}
