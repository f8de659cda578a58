/**
 * What `npm run build` computes once so that no start has to (scripts/prebuild.mjs writes it to
 * dist/prebuilt/): the page image of a new database just migrated, and the scrypt hash of the demo
 * owner's public password. Each is used only when it matches what this code would make: the image
 * when it was made by exactly this list of migrations, the hash when it is of this very password.
 * From the sources (tests under tsx) there is no such folder, and a start computes both itself.
 */
import { readFileSync } from 'node:fs';

// dist/store/prebuilt.js and the bundle (dist/cli/bundle.js) both sit one folder below dist/.
const DIR = new URL('../prebuilt/', import.meta.url);

export const PREBUILT_IMAGE = 'migrated.sqlite';
export const PREBUILT_MANIFEST = 'prebuilt.json';

export interface PrebuiltManifest {
  /** The migrations the image holds, in order. */
  migrations: string[];
  /** The demo owner's password and its scrypt hash. */
  password: { text: string; hash: string };
}

export interface Prebuilt {
  /** The migrated image when it holds exactly `migrations`, in that order. */
  image(migrations: readonly string[]): Buffer | undefined;
  /** The build's scrypt hash of `password`, when the build hashed that password. */
  hash(password: string): string | undefined;
}

/** What the folder `dir` holds (read on first use, once); nothing when it is missing or damaged. */
export function prebuiltIn(dir: URL): Prebuilt {
  let manifest: PrebuiltManifest | null | undefined;
  const read = (): PrebuiltManifest | null => {
    if (manifest !== undefined) return manifest;
    try {
      const m = JSON.parse(readFileSync(new URL(PREBUILT_MANIFEST, dir), 'utf8')) as PrebuiltManifest;
      manifest = Array.isArray(m?.migrations) && typeof m.password?.hash === 'string' ? m : null;
    } catch {
      manifest = null;
    }
    return manifest;
  };
  return {
    image(migrations) {
      const m = read();
      if (!m || m.migrations.length !== migrations.length) return undefined;
      if (m.migrations.some((name, i) => name !== migrations[i])) return undefined;
      try {
        return readFileSync(new URL(PREBUILT_IMAGE, dir));
      } catch {
        return undefined;
      }
    },
    hash(password) {
      const m = read();
      return m && m.password.text === password && m.password.hash.startsWith('scrypt$')
        ? m.password.hash
        : undefined;
    },
  };
}

/** The build's own (dist/prebuilt/). */
export const prebuilt = prebuiltIn(DIR);
