/**
 * Dependencies a start does not need, loaded on first use: PostgreSQL's driver (DATABASE_URL), ioredis
 * (REDIS_URL), YAML (a .yaml seed file) and ajv (a route's first validated request). Each is a CommonJS
 * package, so `require` loads it synchronously where it is first needed and the callers stay synchronous;
 * Node caches it like any import. Measured: loading them at start cost more than Fastify itself
 * (docs/architecture.md, "Start-up").
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The package's exports, loaded on the first call and cached by Node's module cache after it. */
export function lazyModule<T>(name: 'pg' | 'ioredis' | 'yaml' | 'ajv'): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= require(name) as T;
    return loaded;
  };
}
