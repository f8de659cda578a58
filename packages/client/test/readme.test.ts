/** The README's "ten lines against Zemu" run as written, against a live Zemu (only the port differs). */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type LiveZemu, liveZemu } from './helpers.js';

let z: LiveZemu;
before(async () => {
  z = await liveZemu();
});
after(() => z.close());

test('the README example against Zemu runs as written and lists the users', { timeout: 60_000 }, async () => {
  const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
  const block = /## Ten lines against Zemu\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block, 'README has the example');
  assert.equal(block.trim().split('\n').length, 10, 'ten lines');
  // Inside the package so that '@zemu/client' resolves exactly as it does for a user.
  const file = fileURLToPath(new URL(`../.readme-example-${process.pid}.ts`, import.meta.url));
  const source = block.replaceAll('http://127.0.0.1:9600', z.url);
  writeFileSync(file, source);
  try {
    // Asynchronously: the Zemu it calls runs in this very process.
    const run = await promisify(execFile)(
      process.execPath,
      ['--conditions=zemu-source', '--import', 'tsx', file],
      {
        encoding: 'utf8',
        timeout: 50_000,
      },
    );
    const lines = run.stdout.split('\n');
    assert.ok(lines.includes(z.demo.email), run.stdout + run.stderr);
  } finally {
    rmSync(file, { force: true });
  }
});
