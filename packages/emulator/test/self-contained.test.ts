/**
 * A clone of the repository must need nothing beside it: no tracked file may read outside the
 * repository (the reference folder that sits beside it, and the like). Scans every tracked text file
 * for relative paths that climb above the root from the file's folder, and for absolute paths into
 * the machine the project was built on.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Data copied in with its provenance: it reads nothing. */
const DATA = [/^spec\//, /\/test\/fixtures\//, /(^|\/)package-lock\.json$/];
const SELF = 'packages/emulator/test/self-contained.test.ts';
const TEXT =
  /\.(ts|mts|cts|js|mjs|cjs|json|md|txt|ya?ml|sh|html|css)$|(^|\/)(run|Dockerfile|\.gitignore|\.npmrc)$/;
/** Absolute paths that exist only on the machines the project was built on. */
const FOREIGN =
  /(?:^|[\s'"`(=:])(\/work\/[\w./-]*|(?:\.\.\/)+shared\b[\w./-]*|\/tmp\/shared\b[\w./-]*|[\w./-]*\bshared\/(?:reference|samples)\b[\w./-]*)/g;
const RELATIVE = /(?:^|[^\w./-])((?:\.\.\/)+[\w@.-]*)/g;

export interface Escape {
  file: string;
  line: number;
  text: string;
}

/** Places in `source` (the text of `file`, a path relative to `root`) that point outside `root`. */
export function escapesIn(root: string, file: string, source: string): Escape[] {
  const found: Escape[] = [];
  const dir = path.dirname(path.join(root, file));
  source.split('\n').forEach((text, i) => {
    for (const m of text.matchAll(FOREIGN)) found.push({ file, line: i + 1, text: (m[1] as string).trim() });
    for (const m of text.matchAll(RELATIVE)) {
      const target = path.resolve(dir, m[1] as string);
      const rel = path.relative(root, target);
      if (rel.startsWith('..') || path.isAbsolute(rel))
        found.push({ file, line: i + 1, text: m[1] as string });
    }
  });
  return found;
}

function trackedFiles(root: string): string[] {
  try {
    return execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
      .split('\0')
      .filter(Boolean);
  } catch {
    // Not a git checkout (an unpacked archive): every file but dependencies and build output.
    const out: string[] = [];
    const walk = (rel: string) => {
      for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
        if (['node_modules', 'dist', '.git', '.zemu'].includes(entry.name)) continue;
        const next = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) walk(next);
        else out.push(next);
      }
    };
    walk('');
    return out;
  }
}

describe('the repository is self-contained', () => {
  test('the scanner finds the sibling shared folder, climbing paths and /work paths, and passes paths inside the root', () => {
    // Built from parts, so that this file does not itself hold what it looks for.
    const up = '..';
    const sibling = ['sha', 'red'].join('');
    const bad = [
      `const REFERENCE = new URL('${up}/${up}/${up}/${up}/${sibling}/reference/', import.meta.url);`,
      `const specDir = join(here, '${up}/${up}/${up}/${up}/${sibling}/reference');`,
      'cat /work/shared/samples/x.txt',
      `see ${up}/${sibling}/DESIGN.md`,
    ];
    for (const line of bad) {
      assert.equal(escapesIn(ROOT, 'packages/emulator/test/x.ts', line).length > 0, true, line);
    }
    const good = [
      "const REFERENCE = new URL('../../../spec/zoom/', import.meta.url);",
      "import { startTestZemu } from './helpers.js';",
      "import { redisRequirement } from '../../emulator/test/requirements.js';",
      'a shared access permission; the shared store',
    ];
    for (const line of good) {
      assert.deepEqual(escapesIn(ROOT, 'packages/client/test/x.ts', line), [], line);
    }
  });

  test('no tracked file reads outside the repository', () => {
    const escapes = trackedFiles(ROOT)
      .filter((file) => file !== SELF && TEXT.test(file) && !DATA.some((re) => re.test(file)))
      .filter((file) => fs.existsSync(path.join(ROOT, file)))
      .flatMap((file) => escapesIn(ROOT, file, fs.readFileSync(path.join(ROOT, file), 'utf8')));
    assert.deepEqual(
      escapes.map((e) => `${e.file}:${e.line}: ${e.text}`),
      [],
      'copy what these read into the repository (spec/zoom, test/fixtures) with its provenance',
    );
  });
});
