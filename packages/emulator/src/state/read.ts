/** Reading and writing export documents as files (`zemu serve --import`, `--export-on-exit`, `zemu export`). */
import fs from 'node:fs';
import path from 'node:path';
import { checkDocument, type StateDocument, StateDocumentError } from './document.js';

/** Reads and checks a document; throws StateDocumentError naming the file and what is wrong. */
export function readStateDocument(file: string): StateDocument {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new StateDocumentError(`cannot read ${file}: ${(error as Error).message}`, 'invalid');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new StateDocumentError(
      `${file} is not JSON (${(error as Error).message}); give a file written by zemu export`,
      'foreign',
    );
  }
  try {
    return checkDocument(parsed);
  } catch (error) {
    if (error instanceof StateDocumentError)
      throw new StateDocumentError(`${file}: ${error.message}`, error.kind);
    throw error;
  }
}

/**
 * Writes a document next to its place and renames it there, readable by its owner only (it holds
 * the installation key): a crash while writing never leaves a half-written file under that name.
 */
export function writeStateDocument(file: string, document: unknown): void {
  const target = path.resolve(file);
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, `${JSON.stringify(document)}\n`, { mode: 0o600 });
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
