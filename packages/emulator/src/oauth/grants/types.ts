import type { Ctx } from '../../context.js';
import type { IssuingBody } from '../../http/trace.js';
import type { App } from '../../store/models.js';

/** The token endpoint's success body, as Zoom sends it (and, under a symbol, the issued token's record). */
export interface TokenResponse extends IssuingBody {
  access_token: string;
  token_type: 'bearer';
  refresh_token?: string;
  expires_in: number;
  scope: string;
  api_url: string;
}

/** Query string and form body merged (the body wins on a clash). */
export type TokenParams = Record<string, string | undefined>;

/** One module per grant type; the token endpoint dispatches on `grant_type`. */
export interface Grant {
  grantType: string;
  /** App types allowed to use this grant; others get `unsupported_grant_type`. */
  appTypes: readonly App['type'][];
  handle(ctx: Ctx, app: App, params: TokenParams): Promise<TokenResponse>;
}
