/**
 * docs/compatibility.md as a table the suite keeps true: every table has a last column `Test`, and every
 * row names the tests that show it as `` `file.test.ts: exact test title` `` (several separated by
 * `<br>`). The named file must exist under packages/<package>/test/ and hold a `test('…')` or `it('…')`
 * with exactly that title.
 *
 * Rows written before the column existed and not yet given a test say `untested`; their number may only
 * go down (UNTESTED_ROWS). New rows must name a test.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DOC = path.join(ROOT, 'docs/compatibility.md');

/** Rows still waiting for a test when the column was introduced (issue 11). Lower it as rows get one. */
const UNTESTED_ROWS = 11;

/** Cells of a Markdown table row; `\|` is a pipe inside a cell. */
export function cells(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((c) => c.trim());
}

export interface Row {
  line: number;
  section: string;
  first: string;
  test: string | undefined;
}

/** Every data row of every table, with its Test cell (undefined when the table has no Test column). */
export function tableRows(markdown: string): { rows: Row[]; tablesWithoutTest: string[] } {
  const lines = markdown.split('\n');
  const rows: Row[] = [];
  const tablesWithoutTest: string[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.startsWith('#')) section = line.replace(/^#+\s*/, '');
    const next = lines[i + 1] ?? '';
    if (!line.trim().startsWith('|') || !/^\s*\|?\s*:?-{3,}/.test(next)) continue;
    const header = cells(line);
    const testColumn = header.at(-1) === 'Test' ? header.length - 1 : -1;
    if (testColumn < 0) tablesWithoutTest.push(`${section} (line ${i + 1})`);
    i += 2;
    for (; i < lines.length && (lines[i] as string).trim().startsWith('|'); i++) {
      const row = cells(lines[i] as string);
      rows.push({
        line: i + 1,
        section,
        first: (row[0] ?? '').slice(0, 60),
        test: testColumn >= 0 ? (row[testColumn] ?? '') : undefined,
      });
    }
    i--;
  }
  return { rows, tablesWithoutTest };
}

/**
 * Titles of tests generated in a loop (`fails as Zoom does: ${name}`) as patterns: a row names one
 * instance (`fails as Zoom does: missing account_id`), and each placeholder stands for any text.
 */
export function titlePatterns(source: string): RegExp[] {
  const out: RegExp[] = [];
  for (const m of source.matchAll(/\b(?:test|it)\(\s*`((?:\\.|[^`\\])*)`/g)) {
    const title = m[1] as string;
    if (!title.includes('${')) continue;
    const parts = title.split(/\$\{[^}]*\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    out.push(new RegExp(`^${parts.join('.+')}$`));
  }
  return out;
}

/** The titles of `test(...)` / `it(...)` calls in a test file (string or plain template literals). */
export function testTitles(source: string): Set<string> {
  const titles = new Set<string>();
  const call = /\b(?:test|it)\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g;
  for (const m of source.matchAll(call)) {
    if (m[1] === '`' && (m[2] as string).includes('${')) continue;
    titles.add((m[2] as string).replace(/\\(.)/g, '$1'));
  }
  return titles;
}

/**
 * The test files of the workspace by file name (packages/<package>/test/<name>); a name two packages
 * use (webhooks.test.ts) stands for both.
 */
function testFiles(): Map<string, string[]> {
  const files = new Map<string, string[]>();
  for (const pkg of fs.readdirSync(path.join(ROOT, 'packages'))) {
    const dir = path.join(ROOT, 'packages', pkg, 'test');
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir))
      if (name.endsWith('.test.ts')) files.set(name, [...(files.get(name) ?? []), path.join(dir, name)]);
  }
  return files;
}

/** `` `file.test.ts: title` `` entries of a Test cell, or a description of what is wrong with it. */
export function references(cell: string): { file: string; title: string }[] | string {
  const parts = cell.split(/<br\s*\/?>/).map((p) => p.trim());
  const out: { file: string; title: string }[] = [];
  for (const part of parts) {
    const m = /^`([A-Za-z0-9._-]+\.test\.ts): (.+)`$/.exec(part);
    if (!m) return `"${part}" is not \`file.test.ts: exact test title\``;
    out.push({ file: m[1] as string, title: m[2] as string });
  }
  return out;
}

describe('docs/compatibility.md rows name their tests', () => {
  const { rows, tablesWithoutTest } = tableRows(fs.readFileSync(DOC, 'utf8'));

  test('every table of docs/compatibility.md has a last column Test', () => {
    assert.ok(rows.length > 100, 'the tables were found');
    assert.deepEqual(tablesWithoutTest, []);
  });

  test('every row names existing tests by file and exact title, or is one of the rows still untested', () => {
    const files = testFiles();
    const titles = new Map<string, Set<string>>();
    const patterns = new Map<string, RegExp[]>();
    const problems: string[] = [];
    let untested = 0;
    for (const row of rows) {
      const where = `line ${row.line} (${row.section}: ${row.first})`;
      const cell = row.test;
      if (cell === undefined) continue;
      if (cell === '') {
        problems.push(`${where}: no Test cell`);
        continue;
      }
      if (cell === 'untested') {
        untested++;
        continue;
      }
      const refs = references(cell);
      if (typeof refs === 'string') {
        problems.push(`${where}: ${refs}`);
        continue;
      }
      for (const { file, title } of refs) {
        const full = files.get(file);
        if (!full) {
          problems.push(`${where}: no test file ${file}`);
          continue;
        }
        if (!titles.has(file))
          titles.set(file, new Set(full.flatMap((f) => [...testTitles(fs.readFileSync(f, 'utf8'))])));
        if (!patterns.has(file))
          patterns.set(
            file,
            full.flatMap((f) => titlePatterns(fs.readFileSync(f, 'utf8'))),
          );
        const generated = patterns.get(file)?.some((p) => p.test(title));
        if (!titles.get(file)?.has(title) && !generated)
          problems.push(`${where}: ${file} has no test titled "${title}"`);
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(
      untested <= UNTESTED_ROWS,
      `${untested} rows say untested, more than the ${UNTESTED_ROWS} left from before the Test column: new rows must name a test`,
    );
  });

  test('the checker itself: cells, titles and references are read as documented', () => {
    assert.deepEqual(cells('| a | b \\| c | `x.test.ts: t` |'), ['a', 'b \\| c', '`x.test.ts: t`']);
    assert.deepEqual(
      // A template title with a placeholder is no exact title: it is skipped.
      [...testTitles(`test('it\\'s one', () => {}); it("two", x); test(\`three\`, y); test(\`t$\{1}\`)`)],
      ["it's one", 'two', 'three'],
    );
    assert.deepEqual(references('`a.test.ts: one`<br>`b.test.ts: two: colons`'), [
      { file: 'a.test.ts', title: 'one' },
      { file: 'b.test.ts', title: 'two: colons' },
    ]);
    assert.equal(typeof references('a.test.ts: no backticks'), 'string');
    const [pattern] = titlePatterns(`test(\`fails as Zoom does: $\{name} ($\{n})\`, f)`);
    assert.ok(pattern?.test('fails as Zoom does: missing account_id (2)'));
    assert.equal(pattern?.test('fails as Zoom: x (2)'), false);
    const { rows: parsed, tablesWithoutTest: missing } = tableRows(
      '## S\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n| A | Test |\n| --- | --- |\n| 1 | |\n',
    );
    assert.deepEqual(missing, ['S (line 3)']);
    assert.deepEqual(
      parsed.map((r) => r.test),
      [undefined, ''],
    );
  });
});
