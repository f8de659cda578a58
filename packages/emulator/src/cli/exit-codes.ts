/** The exit codes of every `zemu` command (the README's table), so that scripts can branch on them. */
export const EXIT = {
  ok: 0,
  /** Anything unexpected. */
  failure: 1,
  /** Bad usage or configuration: missing credentials, unknown profile, unreadable config file. */
  usage: 2,
  /** Authentication or authorization: OAuth errors, 124 invalid/expired token, 4711 missing scope, 403. */
  auth: 3,
  /** 404: the user (or other resource) does not exist. */
  notFound: 4,
  /** 429: rate limited. */
  rateLimited: 5,
  /** No HTTP answer: connection refused, DNS, timeout. */
  network: 6,
  /** Any other API error (400, 409, 5xx, ...). */
  api: 7,
} as const;
