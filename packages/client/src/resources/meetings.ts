/** /v2/users/{userId}/meetings and /v2/meetings/{meetingId}: typed from Zoom's 2023 Meeting API spec. */
import type { PageIterator } from '../pagination.js';
import type { CallOptions, Requester } from '../request.js';
import type {
  CreatedMeeting,
  CreateMeetingBody,
  DeleteMeetingQuery,
  GetMeetingQuery,
  ListMeetingsQuery,
  Meeting,
  MeetingList,
  MeetingStatusBody,
  UpdateMeetingBody,
  UpdateMeetingQuery,
} from './meetings.types.js';
import { RegistrantsResource } from './registrants.js';
import { userPath, ZoomResource } from './resource.js';

export type * from './meetings.types.js';

/** One meeting as listed by GET /users/{userId}/meetings. */
export type MeetingListItem = NonNullable<MeetingList['meetings']>[number];

/**
 * What POST /users/{userId}/meetings answers: the spec's 201 object plus the fields Zoom sends there
 * too but the 2023 spec lists only for GET (`uuid`, `host_id`, `status`, `encrypted_password`).
 */
export type NewMeeting = CreatedMeeting &
  Pick<Meeting, 'uuid' | 'host_id' | 'status' | 'encrypted_password'> & { pstn_password?: string };

export type ListMeetingsOptions = Omit<ListMeetingsQuery, 'next_page_token'>;

/** Meeting ids are int64 numbers; Zoom's paths take them as digits. */
export type MeetingId = number | string;

const meetingPath = (id: MeetingId) => `/meetings/${encodeURIComponent(String(id))}`;
const userMeetings = (userId: string) => `${userPath(userId)}/meetings`;

export class MeetingsResource extends ZoomResource {
  /** /meetings/{meetingId}/registrants: `zoom.meetings.registrants.create(id, {...})`, `list`, ... */
  readonly registrants: RegistrantsResource;

  constructor(client: Requester) {
    super(client);
    this.registrants = new RegistrantsResource(client);
  }

  /**
   * POST /users/{userId}/meetings (201), `userId` first like every other method (`me` for the
   * token's user). Counts against the host's 100 a day.
   */
  create(userId: string, body: CreateMeetingBody, options?: CallOptions): Promise<NewMeeting>;
  /**
   * @deprecated The old order: use `create(userId, body, options)`. Kept for one release; `userId`
   * defaults to `me`.
   */
  create(body: CreateMeetingBody, userId?: string, options?: CallOptions): Promise<NewMeeting>;
  create(
    first: string | CreateMeetingBody,
    second?: CreateMeetingBody | string,
    options?: CallOptions,
  ): Promise<NewMeeting> {
    // A body is never a string, so the first argument tells the two orders apart.
    const [userId, body] =
      typeof first === 'string'
        ? [first, second as CreateMeetingBody]
        : [second === undefined ? 'me' : (second as string), first];
    return this.call('POST', userMeetings(userId), { ...options, body });
  }

  /** GET /meetings/{meetingId}: the meeting with a fresh `start_url`. */
  get(meetingId: MeetingId, query?: GetMeetingQuery, options?: CallOptions): Promise<Meeting> {
    return this.call('GET', meetingPath(meetingId), { ...options, query });
  }

  /** GET /users/{userId}/meetings: one page. */
  listPage(userId = 'me', query?: ListMeetingsQuery, options?: CallOptions): Promise<MeetingList> {
    return this.call('GET', userMeetings(userId), { ...options, query });
  }

  /**
   * GET /users/{userId}/meetings over every page: `for await (const m of zoom.meetings.list('me'))`,
   * or `.pages()` for whole pages. Follows `next_page_token`.
   */
  list(
    userId = 'me',
    query: ListMeetingsOptions = {},
    options?: CallOptions,
  ): PageIterator<MeetingListItem, MeetingList> {
    return this.paginate(
      query,
      (q) => this.listPage(userId, q, options),
      (page) => page.meetings,
    );
  }

  /** PATCH /meetings/{meetingId} (204). Counts against the host's 100 writes a day. */
  async update(
    meetingId: MeetingId,
    body: UpdateMeetingBody,
    query?: UpdateMeetingQuery,
    options?: CallOptions,
  ): Promise<void> {
    await this.call('PATCH', meetingPath(meetingId), { ...options, body, query });
  }

  /**
   * PUT /meetings/{meetingId}/status `{"action":"end"}` (204): ends the live meeting; its instance
   * becomes a past meeting and the meeting gets a new uuid. A meeting not in progress is a ZoomError.
   */
  async end(meetingId: MeetingId, options?: CallOptions): Promise<void> {
    await this.updateStatus(meetingId, { action: 'end' }, options);
  }

  /** PUT /meetings/{meetingId}/status (204) with any documented action. */
  async updateStatus(meetingId: MeetingId, body: MeetingStatusBody, options?: CallOptions): Promise<void> {
    await this.call('PUT', `${meetingPath(meetingId)}/status`, { ...options, body });
  }

  /** DELETE /meetings/{meetingId} (204). */
  async delete(meetingId: MeetingId, query?: DeleteMeetingQuery, options?: CallOptions): Promise<void> {
    await this.call('DELETE', meetingPath(meetingId), { ...options, query });
  }
}
