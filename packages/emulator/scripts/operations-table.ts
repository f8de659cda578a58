/**
 * Writes the README's table of operations from what a Zemu lists at GET /_zemu/operations (an in-memory
 * Zemu, generated answers on): `npm run docs:operations`. `--check` only says whether the README is current.
 */
import fs from 'node:fs';
import { operationsTable, withTable } from '../src/api/generated/table.js';
import { buildZemu } from '../src/app.js';
import { resolveConfig } from '../src/config.js';

const readmePath = new URL('../../../README.md', import.meta.url);
const built = await buildZemu(resolveConfig({ memory: true, logLevel: 'silent', generated: true }, {}));
try {
  const readme = fs.readFileSync(readmePath, 'utf8');
  const updated = withTable(readme, operationsTable(built.ctx.operations.list()));
  if (process.argv.includes('--check')) {
    if (updated !== readme) {
      process.stderr.write('README.md: the operations table is out of date; run npm run docs:operations\n');
      process.exitCode = 1;
    }
  } else {
    fs.writeFileSync(readmePath, updated);
    process.stdout.write('README.md: operations table written\n');
  }
} finally {
  await built.close();
}
