/**
 * `zemu reset`, `zemu snapshot`, `zemu snapshots`, `zemu restore ID`, `zemu export FILE` and
 * `zemu import FILE`: the state of a running Zemu (ZEMU_URL, with ZEMU_ADMIN_TOKEN when needed).
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { readStateDocument, writeStateDocument } from '../state/read.js';
import { control } from './control-client.js';
import { action } from './terminal.js';

interface Snapshot {
  id: string;
  name: string | null;
  created_at: string;
  clock: string;
  size_bytes: number;
}

export function registerStateCommands(program: Command): void {
  program
    .command('reset')
    .description('bring a running Zemu back to its start state (ZEMU_URL, default http://127.0.0.1:9600)')
    .action(
      action(async ({ target }) => {
        await control(target, 'POST', '/reset');
        process.stdout.write(`reset ${target.url}\n`);
      }),
    );

  program
    .command('snapshot')
    .description("capture a running Zemu's whole state; prints the snapshot id")
    .option('-n, --name <name>', 'a name to recognise it by in `zemu snapshots`')
    .action(
      action(async ({ target, opts }) => {
        const options = opts as { name?: string };
        const snapshot = (await control(
          target,
          'POST',
          '/snapshots',
          options.name ? { name: options.name } : {},
        )) as Snapshot;
        process.stdout.write(`${snapshot.id}\n`);
      }),
    );

  program
    .command('snapshots')
    .description("list a running Zemu's snapshots")
    .action(
      action(async ({ target }) => {
        const { snapshots } = (await control(target, 'GET', '/snapshots')) as {
          snapshots: Snapshot[];
        };
        if (snapshots.length === 0) process.stdout.write('no snapshots (take one with `zemu snapshot`)\n');
        for (const s of snapshots) {
          process.stdout.write(
            `${s.id}  ${s.created_at}  clock ${s.clock}  ${s.size_bytes} bytes  ${s.name ?? ''}\n`,
          );
        }
      }),
    );

  program
    .command('restore')
    .description('bring a running Zemu back to a snapshot')
    .argument('<id>', 'the id `zemu snapshot` printed')
    .action(
      action(async ({ target }, id: string) => {
        await control(target, 'POST', `/snapshots/${encodeURIComponent(id)}/restore`);
        process.stdout.write(`restored ${id}\n`);
      }),
    );

  program
    .command('export')
    .description(
      "write a running Zemu's whole state to FILE (JSON; it holds the installation key: keep it private)",
    )
    .argument('<file>', 'where to write the document')
    .action(
      action(async ({ target }, file: string) => {
        const document = await control(target, 'GET', '/export');
        writeStateDocument(file, document);
        process.stdout.write(`exported to ${file} (${fs.statSync(file).size} bytes)\n`);
      }),
    );

  program
    .command('import')
    .description("replace a running Zemu's whole state by a document written by `zemu export`")
    .argument('<file>', 'the document')
    .action(
      action(async ({ target }, file: string) => {
        const document = readStateDocument(file);
        await control(target, 'POST', '/import', document);
        process.stdout.write(`imported ${file}\n`);
      }),
    );
}
