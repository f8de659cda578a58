import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../src/', import.meta.url));

/** The catalogs: the shared ones in errors/, and one per resource (`api/<resource>/errors.ts`). */
function isCatalog(path: string): boolean {
  return /^errors\/[^/]+\.ts$/.test(path) || /^api\/[^/]+\/errors\.ts$/.test(path);
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

test('every Zoom and OAuth refusal comes from a catalog', () => {
  const outside: string[] = [];
  for (const file of sources(src)) {
    const path = relative(src, file).split('\\').join('/');
    if (isCatalog(path)) continue;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (/\bnew\s+(ZoomRefusal|OAuthRefusal)\b/.test(line))
          outside.push(`${path}:${i + 1}: ${line.trim()}`);
      });
  }
  assert.deepEqual(outside, []);
});
