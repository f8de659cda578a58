#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ZEMU_VERSION } from '../version.js';
import { registerClientCommands } from './client-commands.js';
import { registerControlCommands } from './control-commands.js';
import { EXIT } from './exit-codes.js';
import { registerListen } from './listen.js';
import { registerCa, registerServe } from './serve.js';
import { registerStateCommands } from './state-commands.js';
import { registerTrigger } from './trigger.js';

// `zemu requests | head`: a closed pipe ends the command quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const program = new Command();
program.name('zemu').description('Zemu: a local Zoom for tests, and a Zoom API client').version(ZEMU_VERSION);
// Bad usage (unknown option, missing argument) exits with the usage code of the table, not 1.
program.exitOverride();
registerServe(program);
registerCa(program);
registerClientCommands(program);
registerControlCommands(program);
registerListen(program);
registerTrigger(program);
registerStateCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  // Commander has printed what was wrong; help and --version exit 0.
  process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  // Zoom's ids are base64url: one in 64 begins with '-', which commander reads as an option.
  const word = /unknown option '(-[^-'][^']+)'/.exec(error.message)?.[1];
  if (error.code === 'commander.unknownOption' && word)
    process.stderr.write(`hint: a value that begins with - goes after --, e.g. zemu users get -- ${word}\n`);
}
