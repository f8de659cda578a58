#!/usr/bin/env node
/**
 * Extracts every operation of Zoom's two OpenAPI documents (the 2023 Meeting API: 331, the 2025 Users
 * API: 63, 60 of them in both) into what the spec-driven ("generated") answers need:
 *
 *   src/api/generated/operations.json  the index, read at start: method, path, document, scopes
 *                                      (classic and granular), the rate-limit label, the success
 *                                      status, whether a query or body schema exists, and the
 *                                      documented 1001/3001 texts. Small on purpose.
 *   src/api/generated/schemas.json     per operation, the request schemas (cleaned exactly as
 *                                      extract-request-schemas.mjs cleans them) and the success
 *                                      response's schema with its examples. Loaded on the first
 *                                      generated request, never at start.
 *
 * An operation in both documents is taken from the 2025 Users document (the newer one, which also names
 * granular scopes); its missing enums are put back from the 2023 one as for the stateful routes.
 * Run it again when the documents change: `node packages/emulator/scripts/extract-operations.mjs`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDocuments, requestSchemas } from './extract-request-schemas.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.resolve(here, '../src/api/generated');
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const LABELS = {
  light: 'Light',
  medium: 'Medium',
  heavy: 'Heavy',
  'resource-intensive': 'Resource-intensive',
};
/** The one operation whose description names no label (GET /users/{userId}/webinar_templates). */
const DEFAULT_LABEL = 'Light';
const SCOPE = /^[a-z0-9_]+(:[a-z0-9_]+)*$/;

/** `Rate Limit Label: Light` as the descriptions state it (a link, bold, the label in backticks). */
function labelOf(description) {
  const m = /Rate Limit Label[^`]*`([^`]+)`/i.exec(description);
  const label = m ? LABELS[m[1].trim().toLowerCase()] : undefined;
  return label ? { label, labelFrom: 'description' } : { label: DEFAULT_LABEL, labelFrom: 'default' };
}

/** The backticked scopes on the description's `**Scopes:**` (or `**Granular Scopes:**`) line. */
function scopesLine(description, granular) {
  // `**Scopes:**`, `**Scopes**:` and a plain `Scopes:` all occur.
  const head = granular
    ? /\**Granular Scopes?\**:\**([^\n]*)/i
    : /(?<!Granular )\**\bScopes?\**:\**([^\n]*)/i;
  const m = head.exec(description);
  if (!m) return [];
  const line = m[1].split(/Rate Limit Label/i)[0];
  return [...line.matchAll(/`([^`]+)`/g)]
    .flatMap((x) => x[1].split(','))
    .map((s) => s.trim())
    .filter((s) => SCOPE.test(s));
}

function scopesOf(op) {
  const ext = op['x-extensions'];
  const description = op.description ?? '';
  const classic = ext?.['x-macro-scopes'] ?? scopesLine(description, false);
  const granular = ext?.['x-granular-scopes'] ?? scopesLine(description, true);
  return { classic: [...new Set(classic)], granular: [...new Set(granular)] };
}

/**
 * The documented text of a 404 (or 400) with `code` (1001 unknown user, 3001 unknown meeting), with
 * its placeholder made `{}` (`$userId`, `{userId}`, `"{userId}"` all appear in the documents).
 */
function documentedText(ops, code, placeholder) {
  for (const op of ops) {
    for (const status of ['404', '400']) {
      const description = op?.responses?.[status]?.description ?? '';
      for (const m of description.matchAll(/`(\d{3,4})`\s*<br>\s*([^\n]*)/g)) {
        if (m[1] !== String(code)) continue;
        const text = m[2]
          .split('<br>')[0]
          .replace(/^\*\s*/, '')
          .trim();
        const re = new RegExp(`\\$${placeholder}|\\{${placeholder}\\}`);
        if (!re.test(text)) continue;
        return { status: Number(status), text: text.replace(re, '{}') };
      }
    }
  }
  return undefined;
}

/** Keeps what generating and checking an answer needs: no descriptions or vendor extensions. */
function responseShape(schema, components, depth = 0) {
  if (Array.isArray(schema)) return schema.map((s) => responseShape(s, components, depth));
  if (schema === null || typeof schema !== 'object') return schema;
  if (schema.$ref) {
    if (depth > 20) return {};
    const name = schema.$ref.split('/').pop();
    return responseShape(components?.schemas?.[name] ?? {}, components, depth + 1);
  }
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description' || key === 'title' || key.startsWith('x-')) continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, responseShape(v, components, depth + 1)]),
      );
    } else if (key === 'example' || key === 'examples' || key === 'enum' || key === 'default') {
      out[key] = value;
    } else {
      out[key] = responseShape(value, components, depth + 1);
    }
  }
  return out;
}

/** The operation's success: the lowest 2xx it documents, and its JSON schema if it has a body. */
function successOf(op, components) {
  const code = Object.keys(op.responses ?? {})
    .filter((c) => /^2\d\d$/.test(c))
    .sort()[0];
  if (!code) return { status: 204, response: undefined };
  const content = op.responses[code].content ?? {};
  const schema = content['application/json']?.schema;
  return { status: Number(code), response: schema ? responseShape(schema, components) : undefined };
}

function main() {
  const { s25, s23 } = readDocuments();
  const index = [];
  const schemas = {};
  const seen = new Set();
  for (const [source, doc] of [
    ['users-2025', s25],
    ['meetings-2023', s23],
  ]) {
    for (const [route, item] of Object.entries(doc.paths)) {
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        const key = `${method.toUpperCase()} ${route}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const older = source === 'users-2025' ? s23.paths[route]?.[method] : undefined;
        const request = requestSchemas(op, older);
        const { status, response } = successOf(op, doc.components);
        const scopes = scopesOf(op);
        // The 2023 document names the classic scopes of operations the 2025 one also lists.
        if (older && scopes.classic.length === 0) scopes.classic = scopesOf(older).classic;
        const description = op.description ?? older?.description ?? '';
        const notFound = {};
        const user = documentedText([op, older], 1001, 'userId');
        if (route.includes('{userId}')) notFound.user = user;
        const meeting =
          documentedText([op, older], 3001, 'meetingId') ?? documentedText([op, older], 3001, 'meetingUUID');
        if (route.includes('{meetingId}') || route.includes('{meetingUUID}')) notFound.meeting = meeting;
        index.push({
          method: method.toUpperCase(),
          path: route,
          source,
          operationId: op.operationId ?? null,
          summary: op.summary ?? '',
          tag: op.tags?.[0] ?? '',
          status,
          scopes,
          ...labelOf(description),
          query: Boolean(request.query),
          body: Boolean(request.body),
          notFound,
        });
        schemas[key] = { ...request, ...(response ? { response } : {}) };
      }
    }
  }
  index.sort((a, b) => (a.path === b.path ? a.method.localeCompare(b.method) : a.path.localeCompare(b.path)));
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'operations.json'), `${JSON.stringify(index, null, 1)}\n`);
  fs.writeFileSync(path.join(outDir, 'schemas.json'), `${JSON.stringify(schemas)}\n`);
  const defaults = index.filter((o) => o.labelFrom === 'default').map((o) => `${o.method} ${o.path}`);
  process.stdout.write(
    `wrote ${index.length} operations to ${path.relative(process.cwd(), outDir)} (label defaulted: ${defaults.join(', ') || 'none'})\n`,
  );
}

main();
