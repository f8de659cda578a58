export { type BuiltZemu, buildZemu } from './app.js';
export { Clock } from './clock.js';
export { type ConfigInput, resolveConfig, type ZemuConfig } from './config.js';
export { type RunningZemu, type StartOptions, startZemu } from './server.js';
export type { DemoCredentials } from './world/demo.js';
export type { SeedFile } from './world/seed.js';
