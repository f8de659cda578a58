#!/usr/bin/env node
/**
 * Generates the client's resource types from Zoom's official OpenAPI specs, so that resources are typed
 * from the spec and not from memory:
 *   src/resources/users.types.ts     from the Users spec (2025; its enums were patched out upstream, and
 *                                    the few the client relies on are restored in resources/users.ts)
 *   src/resources/meetings.types.ts  from the Meeting API spec (May 2023, with its enums)
 *   src/resources/registrants.types.ts  meeting registrants, from the same Meeting API spec
 *   src/resources/past-meetings.types.ts, reports.types.ts, recordings.types.ts  from the same Meeting API spec
 * Run from the repository root:
 *   node packages/client/scripts/generate-types.mjs [users|meetings|registrants|pastMeetings|reports|recordings] && npx biome format --write packages/client/src/resources
 * ZOOM_SPEC_DIR overrides where the specs are read from (default spec/zoom at the repository's root).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const specDir = process.env.ZOOM_SPEC_DIR ?? join(here, '../../../spec/zoom');

/** The type builders over one spec document: `type(schema)`, `params(opId, in)`, `response`, `body`. */
function buildersFor(spec) {
  const operations = new Map();
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (op && typeof op === 'object' && op.operationId)
        operations.set(op.operationId, { path, method, op });
    }
  }

  const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
  const key = (name) => (IDENT.test(name) ? name : JSON.stringify(name));

  function doc(text, indent) {
    if (!text) return '';
    const first = String(text)
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0);
    if (!first) return '';
    const clean = first.replaceAll('*/', '* /').slice(0, 160);
    return `${indent}/** ${clean} */\n`;
  }

  function type(schema, indent) {
    if (!schema) return 'unknown';
    if (schema.$ref) return schema.$ref.split('/').pop();
    if (schema.allOf) return merge(schema.allOf.map(resolve), indent);
    if (schema.oneOf || schema.anyOf) {
      const parts = [...new Set((schema.oneOf ?? schema.anyOf).map((s) => type(s, indent)))];
      return parts.length === 1 ? parts[0] : `(${parts.join(' | ')})`;
    }
    if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
    switch (schema.type) {
      case 'string':
        return 'string';
      case 'integer':
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'array':
        return `Array<${type(schema.items, indent)}>`;
      case 'object':
      case undefined:
        if (schema.properties) return object(schema, indent);
        if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
          return `Record<string, ${type(schema.additionalProperties, indent)}>`;
        }
        return 'Record<string, unknown>';
      default:
        return 'unknown';
    }
  }

  function resolve(schema) {
    if (schema.$ref) {
      const name = schema.$ref.split('/').pop();
      return spec.components.schemas[name];
    }
    return schema;
  }

  function merge(schemas, indent) {
    const properties = {};
    const required = new Set();
    for (const s of schemas) {
      const r = s.allOf ? { properties: mergeProps(s.allOf.map(resolve)), required: [] } : s;
      Object.assign(properties, r.properties ?? {});
      for (const name of r.required ?? []) required.add(name);
    }
    return object({ properties, required: [...required] }, indent);
  }

  function mergeProps(schemas) {
    return Object.assign({}, ...schemas.map((s) => s.properties ?? {}));
  }

  function object(schema, indent) {
    const inner = `${indent}  `;
    const required = new Set(schema.required ?? []);
    const lines = Object.entries(schema.properties).map(
      ([name, prop]) =>
        `${doc(prop.description, inner)}${inner}${key(name)}${required.has(name) ? '' : '?'}: ${type(prop, inner)};\n`,
    );
    return `{\n${lines.join('')}${indent}}`;
  }

  function params(opId, where) {
    const { op, path, method } = operations.get(opId);
    const list = [...(op.parameters ?? []), ...(spec.paths[path].parameters ?? [])].filter(
      (p) => p.in === where,
    );
    void method;
    const properties = Object.fromEntries(
      list.map((p) => [p.name, { ...p.schema, description: p.description ?? p.schema?.description }]),
    );
    return object({ properties, required: list.filter((p) => p.required).map((p) => p.name) }, '');
  }

  const json = (content) => content?.['application/json']?.schema;
  const response = (opId, status) => json(operations.get(opId).op.responses[status]?.content);
  const body = (opId) => json(operations.get(opId).op.requestBody?.content);

  return { type, params, response, body };
}

const TARGETS = {
  users: {
    spec: 'zoom-users-openapi.json',
    out: 'users.types.ts',
    title: 'Users OpenAPI',
    decls: ({ type, params, response, body }) => [
      ['User', 'GET /users/{userId} 200', type(response('user', '200'), '')],
      ['GetUserQuery', 'GET /users/{userId} query', params('user', 'query')],
      ['UserList', 'GET /users 200', type(response('users', '200'), '')],
      ['ListUsersQuery', 'GET /users query', params('users', 'query')],
      ['CreateUserBody', 'POST /users body', type(body('userCreate'), '')],
      ['CreatedUser', 'POST /users 201', type(response('userCreate', '201'), '')],
      ['UpdateUserBody', 'PATCH /users/{userId} body', type(body('userUpdate'), '')],
      ['UpdateUserQuery', 'PATCH /users/{userId} query', params('userUpdate', 'query')],
      ['DeleteUserQuery', 'DELETE /users/{userId} query', params('userDelete', 'query')],
      ['UserTokenQuery', 'GET /users/{userId}/token query', params('userToken', 'query')],
      ['UserToken', 'GET /users/{userId}/token 200', type(response('userToken', '200'), '')],
      ['UserZak', 'GET /users/me/zak 200', type(response('userZak', '200'), '')],
      ['UpdateUserStatusBody', 'PUT /users/{userId}/status body', type(body('userStatus'), '')],
      ['UpdateUserPasswordBody', 'PUT /users/{userId}/password body', type(body('userPassword'), '')],
      ['UpdateUserEmailBody', 'PUT /users/{userId}/email body', type(body('userEmailUpdate'), '')],
      ['CheckEmailQuery', 'GET /users/email query', params('userEmail', 'query')],
      ['CheckEmailResponse', 'GET /users/email 200', type(response('userEmail', '200'), '')],
      ['UserSettings', 'GET /users/{userId}/settings 200', type(response('userSettings', '200'), '')],
      ['GetUserSettingsQuery', 'GET /users/{userId}/settings query', params('userSettings', 'query')],
      ['UpdateUserSettingsBody', 'PATCH /users/{userId}/settings body', type(body('userSettingsUpdate'), '')],
      [
        'UpdateUserSettingsQuery',
        'PATCH /users/{userId}/settings query',
        params('userSettingsUpdate', 'query'),
      ],
    ],
  },
  meetings: {
    spec: 'zoom-meeting-api-openapi-2023.json',
    out: 'meetings.types.ts',
    title: 'Meeting API',
    decls: ({ type, params, response, body }) => [
      ['Meeting', 'GET /meetings/{meetingId} 200', type(response('meeting', '200'), '')],
      ['GetMeetingQuery', 'GET /meetings/{meetingId} query', params('meeting', 'query')],
      ['MeetingList', 'GET /users/{userId}/meetings 200', type(response('meetings', '200'), '')],
      ['ListMeetingsQuery', 'GET /users/{userId}/meetings query', params('meetings', 'query')],
      ['CreateMeetingBody', 'POST /users/{userId}/meetings body', type(body('meetingCreate'), '')],
      ['CreatedMeeting', 'POST /users/{userId}/meetings 201', type(response('meetingCreate', '201'), '')],
      ['UpdateMeetingBody', 'PATCH /meetings/{meetingId} body', type(body('meetingUpdate'), '')],
      ['UpdateMeetingQuery', 'PATCH /meetings/{meetingId} query', params('meetingUpdate', 'query')],
      ['DeleteMeetingQuery', 'DELETE /meetings/{meetingId} query', params('meetingDelete', 'query')],
      ['MeetingStatusBody', 'PUT /meetings/{meetingId}/status body', type(body('meetingStatus'), '')],
    ],
  },
  pastMeetings: {
    spec: 'zoom-meeting-api-openapi-2023.json',
    out: 'past-meetings.types.ts',
    title: 'Meeting API',
    decls: ({ type, params, response }) => [
      ['PastMeeting', 'GET /past_meetings/{meetingId} 200', type(response('pastMeetingDetails', '200'), '')],
      [
        'PastMeetingInstances',
        'GET /past_meetings/{meetingId}/instances 200',
        type(response('pastMeetings', '200'), ''),
      ],
      [
        'PastMeetingParticipants',
        'GET /past_meetings/{meetingId}/participants 200',
        type(response('pastMeetingParticipants', '200'), ''),
      ],
      [
        'PastMeetingParticipantsQuery',
        'GET /past_meetings/{meetingId}/participants query',
        params('pastMeetingParticipants', 'query'),
      ],
    ],
  },
  reports: {
    spec: 'zoom-meeting-api-openapi-2023.json',
    out: 'reports.types.ts',
    title: 'Meeting API',
    decls: ({ type, params, response }) => [
      [
        'ReportMeeting',
        'GET /report/meetings/{meetingId} 200',
        type(response('reportMeetingDetails', '200'), ''),
      ],
      [
        'ReportMeetingParticipants',
        'GET /report/meetings/{meetingId}/participants 200',
        type(response('reportMeetingParticipants', '200'), ''),
      ],
      [
        'ReportMeetingParticipantsQuery',
        'GET /report/meetings/{meetingId}/participants query',
        params('reportMeetingParticipants', 'query'),
      ],
      [
        'ReportUserMeetings',
        'GET /report/users/{userId}/meetings 200',
        type(response('reportMeetings', '200'), ''),
      ],
      [
        'ReportUserMeetingsQuery',
        'GET /report/users/{userId}/meetings query',
        params('reportMeetings', 'query'),
      ],
    ],
  },
  recordings: {
    spec: 'zoom-meeting-api-openapi-2023.json',
    out: 'recordings.types.ts',
    title: 'Meeting API',
    decls: ({ type, params, response, body }) => [
      [
        'MeetingRecording',
        'GET /meetings/{meetingId}/recordings 200',
        type(response('recordingGet', '200'), ''),
      ],
      ['GetRecordingQuery', 'GET /meetings/{meetingId}/recordings query', params('recordingGet', 'query')],
      ['RecordingList', 'GET /users/{userId}/recordings 200', type(response('recordingsList', '200'), '')],
      ['ListRecordingsQuery', 'GET /users/{userId}/recordings query', params('recordingsList', 'query')],
      [
        'DeleteRecordingQuery',
        'DELETE /meetings/{meetingId}/recordings query',
        params('recordingDelete', 'query'),
      ],
      [
        'RecoverRecordingBody',
        'PUT /meetings/{meetingUUID}/recordings/status body',
        type(body('recordingStatusUpdate'), ''),
      ],
      [
        'RecordingSettings',
        'GET /meetings/{meetingId}/recordings/settings 200',
        type(response('recordingSettingUpdate', '200'), ''),
      ],
      [
        'UpdateRecordingSettingsBody',
        'PATCH /meetings/{meetingId}/recordings/settings body',
        type(body('recordingSettingsUpdate'), ''),
      ],
    ],
  },
  registrants: {
    spec: 'zoom-meeting-api-openapi-2023.json',
    out: 'registrants.types.ts',
    title: 'Meeting API',
    decls: ({ type, params, response, body }) => [
      [
        'RegistrantList',
        'GET /meetings/{meetingId}/registrants 200',
        type(response('meetingRegistrants', '200'), ''),
      ],
      [
        'ListRegistrantsQuery',
        'GET /meetings/{meetingId}/registrants query',
        params('meetingRegistrants', 'query'),
      ],
      [
        'Registrant',
        'GET /meetings/{meetingId}/registrants/{registrantId} 200',
        type(response('meetingRegistrantGet', '200'), ''),
      ],
      [
        'CreateRegistrantBody',
        'POST /meetings/{meetingId}/registrants body',
        type(body('meetingRegistrantCreate'), ''),
      ],
      [
        'CreateRegistrantQuery',
        'POST /meetings/{meetingId}/registrants query',
        params('meetingRegistrantCreate', 'query'),
      ],
      [
        'CreatedRegistrant',
        'POST /meetings/{meetingId}/registrants 201',
        type(response('meetingRegistrantCreate', '201'), ''),
      ],
      [
        'DeleteRegistrantQuery',
        'DELETE /meetings/{meetingId}/registrants/{registrantId} query',
        params('meetingregistrantdelete', 'query'),
      ],
      [
        'UpdateRegistrantStatusBody',
        'PUT /meetings/{meetingId}/registrants/status body',
        type(body('meetingRegistrantStatus'), ''),
      ],
      [
        'UpdateRegistrantStatusQuery',
        'PUT /meetings/{meetingId}/registrants/status query',
        params('meetingRegistrantStatus', 'query'),
      ],
      [
        'RegistrationQuestions',
        'GET /meetings/{meetingId}/registrants/questions 200',
        type(response('meetingRegistrantsQuestionsGet', '200'), ''),
      ],
      [
        'UpdateRegistrationQuestionsBody',
        'PATCH /meetings/{meetingId}/registrants/questions body',
        type(body('meetingRegistrantQuestionUpdate'), ''),
      ],
    ],
  },
};

const names = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(TARGETS);
for (const name of names) {
  const target = TARGETS[name];
  if (!target) throw new Error(`unknown target ${name}: one of ${Object.keys(TARGETS).join(', ')}`);
  const spec = JSON.parse(readFileSync(join(specDir, target.spec), 'utf8'));
  const header = `// Generated by packages/client/scripts/generate-types.mjs from Zoom's official ${target.title}
// spec (${spec.info.title} ${spec.info.version}). Do not edit by hand: run the script again.
`;
  const text = target
    .decls(buildersFor(spec))
    .map(([decl, what, t]) => `/** ${what} */\nexport type ${decl} = ${t};\n`)
    .join('\n');
  const out = join(here, '../src/resources', target.out);
  writeFileSync(out, `${header}\n${text}`);
  console.log(`wrote ${out}`);
}
