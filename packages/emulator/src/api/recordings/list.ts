/**
 * GET /users/{userId}/recordings: the user's recordings whose meetings started between `from` and `to`
 * (dates, UTC, both days included; by default today and tomorrow, as the document says), in start
 * order, paged by a signed keyset token bound to the query. `trash=true` lists the trash instead
 * (`trash_type` `meeting_recordings`: whole recordings, `recording_file`: single files; no date range,
 * as documented). `meeting_id` narrows the list to one meeting.
 */
import type { Ctx } from '../../context.js';
import { type FieldError, ZoomRefusal, zoomErrors } from '../../errors/zoom.js';
import type { Caller } from '../../guard/caller.js';
import { authorizeUser } from '../../guard/target.js';
import { booleanQuery, dateQuery, integerQuery } from '../../http/input.js';
import { recordingObject } from '../../recordings/present.js';
import type { RecordingListKind } from '../../store/repos/recordings.js';
import { keysetPage, keysetPageOf } from '../paging.js';
import { recordingErrors } from './errors.js';

export interface RecordingsListQuery {
  page_size?: string;
  next_page_token?: string;
  mc?: string;
  trash?: string;
  from?: string;
  to?: string;
  trash_type?: string;
  meeting_id?: string;
}

const DAY = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function listRecordings(ctx: Ctx, caller: Caller, userId: string, query: RecordingsListQuery) {
  const errors: FieldError[] = [];
  const now = ctx.clock.now();
  const fromGiven = dateQuery(query.from, 'from', errors);
  const toGiven = dateQuery(query.to, 'to', errors);
  const from = fromGiven ?? (toGiven !== undefined ? toGiven - DAY : Date.parse(day(now)));
  const to = toGiven ?? from + DAY;
  if (from > to) errors.push({ field: 'from', message: 'Invalid field. from must not be after to.' });
  const trash = booleanQuery(query.trash, 'trash', errors) ?? false;
  const trashType = query.trash_type ?? 'meeting_recordings';
  if (trashType !== 'meeting_recordings' && trashType !== 'recording_file')
    errors.push({
      field: 'trash_type',
      message: "Invalid field. Allowed values: 'meeting_recordings', 'recording_file'.",
    });
  const meetingId = query.meeting_id === undefined ? undefined : integerQuery(query.meeting_id, 19);
  if (query.meeting_id !== undefined && meetingId === undefined)
    errors.push({ field: 'meeting_id', message: 'Invalid field.' });
  const { token, pageSize } = keysetPage(query, 300, errors);
  if (errors.length > 0) throw zoomErrors.validation(errors);
  let target: Awaited<ReturnType<typeof authorizeUser>>;
  try {
    target = await authorizeUser(ctx.store, caller, userId, now);
  } catch (e) {
    if (e instanceof ZoomRefusal && e.code === 1001) throw recordingErrors.userNotFound(userId);
    throw e;
  }
  const { user } = target;
  const kind: RecordingListKind = !trash
    ? 'active'
    : trashType === 'recording_file'
      ? 'trashedFiles'
      : 'trashedRecordings';
  const range = trash ? undefined : { from, to: to + DAY };
  const scope = `recordings:${user.id}:${kind}:${trash ? '' : `${from}:${to}`}:${meetingId ?? ''}:${pageSize}`;
  const { shown, paging: fields } = await keysetPageOf(
    ctx.keys.pageToken,
    { token, scope, pageSize, now },
    (after, limit) => ctx.store.recordings.listForHost(user.id, kind, range, after, limit, meetingId),
  );
  const filesOf = await ctx.store.recordings.filesOf(shown.map((r) => r.uuid));
  const base = ctx.publicUrl();
  const meetings = shown.map((r) => {
    const all = filesOf.get(r.uuid) ?? [];
    const files =
      kind === 'active'
        ? all.filter((f) => f.trashedAt === null)
        : kind === 'trashedFiles'
          ? all.filter((f) => f.trashedAt !== null)
          : all;
    return recordingObject(base, r, files);
  });
  // This list carries no page_number.
  const { page_number: _page, ...paging } = fields;
  return { from: day(from), to: day(to), ...paging, meetings };
}
