#!/usr/bin/env node
// The CLI bundled into one file (scripts/bundle.mjs, part of the build): loading the ~700 module files
// it is made of was most of a start. Where only tsc ran, the compiled modules themselves.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/cli/bundle.js', import.meta.url);
await import(existsSync(bundle) ? bundle.href : '../dist/cli/main.js');
