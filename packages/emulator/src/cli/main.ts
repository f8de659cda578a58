#!/usr/bin/env node
import { Command } from 'commander';
import { ZEMU_VERSION } from '../control/routes.js';
import { registerClientCommands } from './client-commands.js';
import { registerCa, registerServe } from './serve.js';

const program = new Command();
program.name('zemu').description('Zemu: a local Zoom for tests, and a Zoom API client').version(ZEMU_VERSION);
registerServe(program);
registerCa(program);
registerClientCommands(program);

await program.parseAsync(process.argv);
