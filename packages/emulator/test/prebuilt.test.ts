/**
 * What the build computes once for every start (src/store/prebuilt.ts, scripts/prebuild.mjs): the
 * migrated image is used only when made by exactly this code's migrations, the hash only for the
 * password it is of, and a missing or damaged folder means computing both as before. The tarball's
 * own files are checked in published.test.ts.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { PREBUILT_IMAGE, PREBUILT_MANIFEST, prebuiltIn } from '../src/store/prebuilt.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function folder(manifest: unknown, image: Buffer | null = Buffer.from('image')): URL {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zemu-prebuilt-'));
  dirs.push(dir);
  fs.writeFileSync(
    path.join(dir, PREBUILT_MANIFEST),
    typeof manifest === 'string' ? manifest : JSON.stringify(manifest),
  );
  if (image) fs.writeFileSync(path.join(dir, PREBUILT_IMAGE), image);
  return pathToFileURL(`${dir}/`);
}

const MANIFEST = {
  migrations: ['0001_a', '0002_b'],
  password: { text: 'public', hash: 'scrypt$c2FsdA==$aGFzaA==' },
};

test('the image only for exactly its migrations, in order', () => {
  const p = prebuiltIn(folder(MANIFEST));
  assert.deepEqual(p.image(['0001_a', '0002_b']), Buffer.from('image'));
  assert.equal(p.image(['0001_a']), undefined, 'a migration the image lacks');
  assert.equal(p.image(['0001_a', '0002_b', '0003_c']), undefined, 'a newer code');
  assert.equal(p.image(['0002_b', '0001_a']), undefined, 'another order');
  assert.equal(prebuiltIn(folder(MANIFEST, null)).image(MANIFEST.migrations), undefined, 'no image file');
});

test('the hash only for the password it is of', () => {
  const p = prebuiltIn(folder(MANIFEST));
  assert.equal(p.hash('public'), MANIFEST.password.hash);
  assert.equal(p.hash('other'), undefined);
  const odd = prebuiltIn(folder({ ...MANIFEST, password: { text: 'public', hash: 'md5$x' } }));
  assert.equal(odd.hash('public'), undefined, 'not a scrypt hash');
});

test('a missing or damaged folder: nothing prebuilt, nothing thrown', () => {
  for (const p of [
    prebuiltIn(pathToFileURL(path.join(os.tmpdir(), 'zemu-no-such-folder/'))),
    prebuiltIn(folder('{not json')),
    prebuiltIn(folder({ migrations: 'all' })),
  ]) {
    assert.equal(p.image(MANIFEST.migrations), undefined);
    assert.equal(p.hash('public'), undefined);
  }
});
