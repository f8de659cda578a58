/**
 * `zemu reset`, `zemu snapshot`, `zemu snapshots`, `zemu restore ID`, `zemu export FILE` and
 * `zemu import FILE`: the state of a running Zemu (ZEMU_URL, with ZEMU_ADMIN_TOKEN when needed).
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { readStateDocument, writeStateDocument } from '../state/read.js';
import { control, controlTarget } from './control-client.js';

async function run(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    process.stderr.write(`zemu: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}

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
    .action(() =>
      run(async () => {
        const target = controlTarget();
        await control(target, 'POST', '/reset');
        process.stdout.write(`reset ${target.url}\n`);
      }),
    );

  program
    .command('snapshot')
    .description("capture a running Zemu's whole state; prints the snapshot id")
    .option('-n, --name <name>', 'a name to recognise it by in `zemu snapshots`')
    .action((options: { name?: string }) =>
      run(async () => {
        const snapshot = (await control(
          controlTarget(),
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
    .action(() =>
      run(async () => {
        const { snapshots } = (await control(controlTarget(), 'GET', '/snapshots')) as {
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
    .action((id: string) =>
      run(async () => {
        await control(controlTarget(), 'POST', `/snapshots/${encodeURIComponent(id)}/restore`);
        process.stdout.write(`restored ${id}\n`);
      }),
    );

  program
    .command('export')
    .description(
      "write a running Zemu's whole state to FILE (JSON; it holds the installation key: keep it private)",
    )
    .argument('<file>', 'where to write the document')
    .action((file: string) =>
      run(async () => {
        const document = await control(controlTarget(), 'GET', '/export');
        writeStateDocument(file, document);
        process.stdout.write(`exported to ${file} (${fs.statSync(file).size} bytes)\n`);
      }),
    );

  program
    .command('import')
    .description("replace a running Zemu's whole state by a document written by `zemu export`")
    .argument('<file>', 'the document')
    .action((file: string) =>
      run(async () => {
        const document = readStateDocument(file);
        await control(controlTarget(), 'POST', '/import', document);
        process.stdout.write(`imported ${file}\n`);
      }),
    );
}
