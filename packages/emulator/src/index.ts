export { type BuiltZemu, buildZemu } from './app.js';
export { Clock } from './clock.js';
export { type ConfigInput, resolveConfig, type ZemuConfig } from './config.js';
export {
  type AccountOptions,
  type RunningZemu,
  type S2SCredentials,
  type StartOptions,
  startZemu,
  type ZemuAccount,
  type ZemuAccountApp,
  type ZemuClock,
} from './server.js';
export type { StateDocument } from './state/document.js';
export type { SnapshotInfo } from './state/service.js';
export type { DemoCredentials } from './world/demo.js';
export type { SeedFile } from './world/seed.js';
