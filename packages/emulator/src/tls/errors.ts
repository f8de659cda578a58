/** Why the local CA cannot be used; kept apart so that the CLI can name it without loading X.509. */
export class CaError extends Error {}
