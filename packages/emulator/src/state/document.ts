/**
 * The export document: the whole state as one JSON file, with the installation key so that the
 * tokens and ZAKs it holds verify where it is imported. Secrets inside stay in the hashed form the
 * tables hold. `format` versions the envelope; `state.schema` names the last migration the tables
 * had, so a document from an older Zemu is brought up to date by Zemu's own migrations.
 */
import { isObject } from '../http/input.js';
import { migrateToLatest, openDatabase } from '../store/db.js';
import { migrations } from '../store/migrations/index.js';
import { SCHEMA_VERSION, type StateImage, StateImageError } from '../store/state.js';
import { Store } from '../store/store.js';

export const DOCUMENT_KIND = 'zemu-state';
export const DOCUMENT_FORMAT = 1;

export interface StateParts {
  state: StateImage;
  /** The fault rules (`FaultRules.saved()`), which live in memory. */
  faults: unknown[];
}

export interface StateDocument extends StateParts {
  kind: typeof DOCUMENT_KIND;
  format: number;
  zemu_version: string;
  exported_at: string;
  /** Base64 of the installation's 64-byte master key. */
  installation_key: string;
}

/** A document or snapshot Zemu cannot take: the message says what is wrong and what to do. */
export class StateDocumentError extends Error {
  constructor(
    message: string,
    /** `newer`: made by a newer Zemu; `foreign`: not a Zemu state at all; `invalid`: damaged. */
    readonly kind: 'newer' | 'foreign' | 'invalid',
  ) {
    super(message);
  }
}

const KNOWN_SCHEMAS = Object.keys(migrations).sort();

/** Checks the envelope of a parsed document (the tables are checked against the schema on load). */
export function checkDocument(input: unknown): StateDocument {
  if (!isObject(input))
    throw new StateDocumentError('not a Zemu state document: expected a JSON object', 'foreign');
  const doc = input as Partial<StateDocument>;
  if (doc.kind !== DOCUMENT_KIND)
    throw new StateDocumentError(
      `not a Zemu state document: "kind" must be "${DOCUMENT_KIND}" (write one with zemu export FILE or GET /_zemu/export)`,
      'foreign',
    );
  if (!Number.isInteger(doc.format) || (doc.format as number) < 1)
    throw new StateDocumentError('"format" must be a positive integer', 'invalid');
  if ((doc.format as number) > DOCUMENT_FORMAT)
    throw new StateDocumentError(
      `the document has format ${doc.format}, made by a newer Zemu (${String(doc.zemu_version)}); this Zemu reads format ${DOCUMENT_FORMAT}: upgrade Zemu to import it`,
      'newer',
    );
  if (typeof doc.installation_key !== 'string' || Buffer.from(doc.installation_key, 'base64').length !== 64)
    throw new StateDocumentError('"installation_key" must be the base64 of a 64-byte key', 'invalid');
  checkParts(doc);
  return doc as StateDocument;
}

/** Checks the parts shared by documents and snapshots: the schema is one this Zemu knows. */
export function checkParts(parts: Partial<StateParts>): asserts parts is StateParts {
  const state = parts.state as Partial<StateImage> | undefined;
  if (typeof state !== 'object' || state === null || Array.isArray(state))
    throw new StateDocumentError('"state" must be an object', 'invalid');
  if (typeof state.schema !== 'string')
    throw new StateDocumentError('"state.schema" must name a migration', 'invalid');
  if (!KNOWN_SCHEMAS.includes(state.schema)) {
    const newer = state.schema > SCHEMA_VERSION;
    throw new StateDocumentError(
      newer
        ? `the state has schema ${state.schema}, newer than this Zemu's ${SCHEMA_VERSION}: upgrade Zemu to import it`
        : `the state has schema ${state.schema}, which no Zemu version had`,
      newer ? 'newer' : 'invalid',
    );
  }
  if (!Array.isArray(parts.faults)) throw new StateDocumentError('"faults" must be a list', 'invalid');
}

/**
 * Brings an image of an older schema up to this Zemu's: loads it into a throwaway in-memory database
 * migrated to its schema, runs the remaining migrations there, and captures the result. The live
 * store is not touched.
 */
export async function migrateImage(image: StateImage): Promise<StateImage> {
  if (image.schema === SCHEMA_VERSION) return image;
  const scratch = await openDatabase({
    memory: true,
    dataDir: '',
    databaseUrl: undefined,
    schemaVersion: image.schema,
  });
  const store = new Store(scratch.db, scratch.dialect);
  try {
    await store.state.load(image).catch(rethrowImageError);
    await migrateToLatest(scratch.db);
    store.state.refresh();
    return await store.state.capture();
  } finally {
    await store.close();
  }
}

export function rethrowImageError(error: unknown): never {
  if (error instanceof StateImageError) throw new StateDocumentError(error.message, 'invalid');
  throw error;
}
