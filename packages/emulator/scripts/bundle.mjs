/**
 * Bundles the CLI (dist/cli/main.js and everything it imports, Fastify and Kysely included) into one
 * file, dist/cli/bundle.js, which bin/zemu.js runs: a start spent most of its time loading some
 * 700 module files (docs/architecture.md, "Start-up"). Run after tsc (npm run build, prepack).
 * Left outside: the native SQLite binding, the packages loaded on first use (lazy.ts) and the
 * operations' schemas (half a megabyte of JSON, read on the first generated request).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');

/** The schemas stay a JSON file beside the compiled catalog, imported on first use as before. */
const schemasOutside = {
  name: 'schemas-outside',
  setup(b) {
    b.onResolve({ filter: /\/schemas\.json$/ }, () => ({
      path: '../api/generated/schemas.json',
      external: true,
    }));
  },
};

await build({
  entryPoints: [path.join(dist, 'cli', 'main.js')],
  outfile: path.join(dist, 'cli', 'bundle.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['better-sqlite3', 'pg', 'ioredis', 'yaml', 'ajv', 'ajv-formats'],
  plugins: [schemasOutside],
  // CommonJS packages inside an ES module bundle still call require (for Node's own modules).
  banner: {
    js: "import { createRequire as __zemuRequire } from 'node:module';\nconst require = __zemuRequire(import.meta.url);",
  },
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
