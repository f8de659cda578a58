/**
 * Reset, snapshots, export and import: each is an image of the tables (the store's state seam) plus
 * the parts that live in memory (the clock, the fault rules), replaced in one step under the state
 * gate, with every in-process cache forgotten in that same step.
 */
import { randomBytes } from 'node:crypto';
import { Clock, type ClockState } from '../clock.js';
import type { SharedSync } from '../cluster/sync.js';
import type { ZemuConfig } from '../config.js';
import type { Keys } from '../crypto.js';
import { zoomErrors } from '../errors/zoom.js';
import { FaultRules } from '../faults/rules.js';
import type { RateLimiter } from '../limits/limiter.js';
import type { TokenService } from '../oauth/tokens.js';
import type { RequestLogStore } from '../requestlog/log.js';
import { openDatabase } from '../store/db.js';
import type { SnapshotRow } from '../store/repos/snapshots.js';
import { type CellValue, type StateImage, StateImageError } from '../store/state.js';
import { Store } from '../store/store.js';
import type { WebhookDispatcher } from '../webhooks/dispatcher.js';
import { type DemoCredentials, demoCredentials, ensureDemo } from '../world/demo.js';
import { applySeed, type SeedFile } from '../world/seed.js';
import { World } from '../world/world.js';
import {
  checkDocument,
  checkParts,
  DOCUMENT_FORMAT,
  DOCUMENT_KIND,
  migrateImage,
  rethrowImageError,
  type StateDocument,
  StateDocumentError,
  type StateParts,
} from './document.js';
import { StateGate } from './gate.js';

export interface SnapshotInfo {
  id: string;
  name: string | null;
  created_at: string;
  /** The emulated clock when it was taken. */
  clock: string;
  schema: string;
  size_bytes: number;
}

export interface StateServiceOptions {
  /** The seed (file or harness object) the start state is built from, with the demo if enabled. */
  seed: SeedFile | undefined;
  /** Replaces the installation key and every key derived from it (an import from elsewhere). */
  rekey(master: Buffer): void;
  installationKey(): Buffer;
  zemuVersion: string;
}

export interface ReplaceOptions {
  /** Empty the request log too (a reset does; a restore keeps the log of what led there). */
  clearRequestLog?: boolean;
  onTableLoaded?: (table: string) => void;
  /** Runs after the load, still alone (no request in between). */
  after?: () => void;
}

/**
 * The parts of a running Zemu that a state image covers or that cache what it holds. The handlers'
 * `Ctx` is one; declaring only these keeps the service below `Ctx` (which holds the service).
 */
export interface StateHost {
  readonly config: ZemuConfig;
  readonly clock: Clock;
  readonly store: Store;
  readonly keys: Keys;
  readonly faults: FaultRules;
  readonly tokens: TokenService;
  readonly limiter: RateLimiter;
  readonly requestLog: RequestLogStore;
  readonly webhooks: WebhookDispatcher;
  readonly cluster: SharedSync | null;
  demo: DemoCredentials | null;
}

const CACHED_SNAPSHOTS = 16;

export class StateService {
  readonly gate = new StateGate();
  private start: StateParts | null = null;
  /** Parsed snapshot images by id; they never change once written. */
  private readonly parsed = new Map<string, StateParts>();

  constructor(
    private readonly ctx: StateHost,
    private readonly options: StateServiceOptions,
  ) {}

  /** The world as it started (demo and seed), the clock at real time, no faults, empty log and windows. */
  async reset(): Promise<void> {
    const start = await this.startState();
    await this.replace(
      start,
      {
        clearRequestLog: true,
        // The seed's own fault rules are part of its start state; they count from the reset clock.
        after: () => {
          for (const rule of this.options.seed?.faults ?? []) this.ctx.faults.add(rule);
        },
      },
      seedClock(this.options.seed),
    );
  }

  async snapshot(name?: string): Promise<SnapshotInfo> {
    if (name !== undefined && (typeof name !== 'string' || name.length > 128))
      throw zoomErrors.validation([
        { field: 'name', message: 'Must be a string of at most 128 characters.' },
      ]);
    const parts = await this.gate.exclusive(() => this.capture(true));
    const image = JSON.stringify(parts);
    const id = `snap_${randomBytes(8).toString('hex')}`;
    const row = {
      id,
      name: name ?? null,
      created_at: Date.now(),
      emulated_at: this.ctx.clock.now(),
      schema_version: parts.state.schema,
      bytes: Buffer.byteLength(image),
      image,
    };
    await this.ctx.store.snapshots.insert(row);
    this.remember(id, parts);
    return present(row);
  }

  async list(): Promise<SnapshotInfo[]> {
    return (await this.ctx.store.snapshots.list()).map(present);
  }

  async restore(id: string, options: ReplaceOptions = {}): Promise<SnapshotInfo> {
    const row = await this.ctx.store.snapshots.find(id);
    if (!row) throw zoomErrors.controlNotFound('Snapshot', id);
    let parts = this.parsed.get(id);
    if (!parts) {
      const stored = await this.ctx.store.snapshots.image(id);
      // Retention (or another process) deleted it a moment ago.
      if (stored === undefined) throw zoomErrors.controlNotFound('Snapshot', id);
      const candidate = JSON.parse(stored) as Partial<StateParts>;
      checkParts(candidate);
      parts = { ...candidate, state: await migrateImage(candidate.state) };
      this.remember(id, parts);
    }
    await this.replace(parts, options);
    return present(row);
  }

  async remove(id: string): Promise<void> {
    const deleted = await this.ctx.store.snapshots.delete(id);
    this.parsed.delete(id);
    if (!deleted) throw zoomErrors.controlNotFound('Snapshot', id);
  }

  /** The whole state as one document (`GET /_zemu/export`, `zemu export`, `--export-on-exit`). */
  async exportDocument(): Promise<StateDocument> {
    const parts = await this.gate.exclusive(() => this.capture());
    return {
      kind: DOCUMENT_KIND,
      format: DOCUMENT_FORMAT,
      zemu_version: this.options.zemuVersion,
      exported_at: new Date().toISOString(),
      installation_key: this.options.installationKey().toString('base64'),
      ...parts,
    };
  }

  /** Replaces the whole state by a document's, or refuses it (StateDocumentError) writing nothing. */
  async importDocument(input: unknown): Promise<void> {
    const doc = checkDocument(input);
    const state = await migrateImage(doc.state);
    const master = Buffer.from(doc.installation_key, 'base64');
    await this.replace({ state, faults: doc.faults }, { clearRequestLog: true }, undefined, master);
  }

  /** `keepPages`: a snapshot, which a restore will load (in memory, as a copy of pages). */
  private async capture(keepPages = false): Promise<StateParts> {
    const state = await this.ctx.store.state.capture({ keepPages });
    // The clock as it is now: its row in zemu_meta is written a moment after each change.
    setMeta(state, 'clock', JSON.stringify(this.ctx.clock.state()));
    return { state, faults: this.ctx.faults.saved() };
  }

  /**
   * Replaces tables and in-memory parts in one step: no request runs between the first write and
   * the last cache cleared. A bad image or fault list is refused before anything changes.
   */
  private async replace(
    parts: StateParts,
    options: ReplaceOptions,
    clock?: ClockState,
    master?: Buffer,
  ): Promise<void> {
    const ctx = this.ctx;
    const faults = new FaultRules(ctx.clock);
    try {
      faults.replace(parts.faults);
    } catch (error) {
      throw new StateDocumentError((error as Error).message, 'invalid');
    }
    const checked = await ctx.store.state.check(parts.state).catch(rethrowImageError);
    const savedClock = clock ?? clockOf(checked);
    const image = clock ? withMeta(checked, 'clock', JSON.stringify(clock)) : checked;
    // Everything but zemu_meta is `parts.state`'s (withMeta only changes the clock's row).
    const pagesKey = master ? undefined : parts.state;
    const rekey = master && !master.equals(this.options.installationKey()) ? master : undefined;
    await this.gate.exclusive(() =>
      ctx.webhooks.whileHeld(async () => {
        await ctx.store.state
          .load(image, {
            ...(rekey ? { identity: { installation_key: rekey.toString('base64') } } : {}),
            ...(options.onTableLoaded ? { onTableLoaded: options.onTableLoaded } : {}),
            ...(pagesKey ? { pagesKey } : {}),
          })
          .catch(rethrowImageError);
        if (rekey) this.options.rekey(rekey);
        ctx.clock.restore(savedClock);
        ctx.faults.replace(faults.saved());
        ctx.tokens.forgetVerified();
        ctx.limiter.invalidateAll();
        await ctx.limiter.counters.clear();
        if (options.clearRequestLog) await ctx.requestLog.clear();
        ctx.demo = await demoCredentials(ctx.store, ctx.keys);
        options.after?.();
        // Other processes on the same PostgreSQL forget what they derived from the old state.
        ctx.cluster?.publish('state');
        await ctx.cluster?.settled();
      }),
    );
  }

  /** Built once, in a throwaway in-memory database, from the demo and the seed: the live store is not touched. */
  private async startState(): Promise<StateParts> {
    if (this.start) return this.start;
    const scratch = await openDatabase({ memory: true, dataDir: '', databaseUrl: undefined });
    const store = new Store(scratch.db, scratch.dialect);
    try {
      const demo = await this.ctx.store.meta.get('demo');
      if (demo) await store.meta.set('demo', demo);
      const clock = new Clock(seedClock(this.options.seed));
      const world = new World(store, clock, this.ctx.keys);
      if (this.ctx.config.demo) await ensureDemo(store, world, this.ctx.keys);
      // Fault rules are added after the reset's clock is set (see reset()).
      if (this.options.seed) await applySeed({ ...this.options.seed, faults: [] }, store, world, clock);
      const state = await store.state.capture();
      this.start = { state, faults: [] };
      return this.start;
    } finally {
      await store.close();
    }
  }

  private remember(id: string, parts: StateParts): void {
    if (this.parsed.size >= CACHED_SNAPSHOTS) this.parsed.delete(this.parsed.keys().next().value as string);
    this.parsed.set(id, parts);
  }
}

/** Real time, unfrozen, then the seed's `clock` (set, frozen) as a start applies it. */
function seedClock(seed: SeedFile | undefined): ClockState {
  const clock = new Clock();
  if (seed?.clock?.frozen === true) clock.freeze(true);
  if (seed?.clock?.set) clock.set(Date.parse(seed.clock.set));
  if (seed?.clock?.frozen === false) clock.freeze(false);
  return clock.state();
}

function clockOf(image: StateImage): ClockState {
  const meta = image.tables.zemu_meta;
  const key = meta?.columns.indexOf('key') ?? -1;
  const value = meta?.columns.indexOf('value') ?? -1;
  const row = meta?.rows.find((r) => r[key] === 'clock');
  if (!row) return { offsetMs: 0, frozenAt: null };
  try {
    const parsed = JSON.parse(String(row[value])) as Partial<ClockState>;
    const offsetMs = Number(parsed.offsetMs ?? 0);
    const frozenAt =
      parsed.frozenAt === null || parsed.frozenAt === undefined ? null : Number(parsed.frozenAt);
    if (!Number.isFinite(offsetMs) || (frozenAt !== null && !Number.isFinite(frozenAt)))
      throw new Error('not finite');
    return { offsetMs, frozenAt };
  } catch {
    throw new StateImageError('zemu_meta "clock" is not a saved clock');
  }
}

function setMeta(image: StateImage, key: string, value: string): void {
  const meta = image.tables.zemu_meta;
  if (!meta) return;
  const k = meta.columns.indexOf('key');
  const v = meta.columns.indexOf('value');
  const row: CellValue[] = meta.columns.map(() => null);
  row[k] = key;
  row[v] = value;
  // In its place when the row is there, so that a load writes the rows in the order they were.
  const at = meta.rows.findIndex((r) => r[k] === key);
  meta.rows = at < 0 ? [...meta.rows, row] : meta.rows.map((r, i) => (i === at ? row : r));
}

function withMeta(image: StateImage, key: string, value: string): StateImage {
  const meta = image.tables.zemu_meta;
  if (!meta) return image;
  const copy: StateImage = {
    ...image,
    tables: { ...image.tables, zemu_meta: { ...meta, rows: [...meta.rows] } },
  };
  setMeta(copy, key, value);
  return copy;
}

function present(row: SnapshotRow): SnapshotInfo {
  return {
    id: row.id,
    name: row.name,
    created_at: new Date(row.created_at).toISOString(),
    clock: new Date(row.emulated_at).toISOString(),
    schema: row.schema_version,
    size_bytes: row.bytes,
  };
}
