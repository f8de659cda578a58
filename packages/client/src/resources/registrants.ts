/**
 * /v2/meetings/{meetingId}/registrants, as `zoom.meetings.registrants`: typed from Zoom's 2023 Meeting
 * API spec (registrants.types.ts).
 */
import type { PageIterator } from '../pagination.js';
import type { CallOptions } from '../request.js';
import type {
  CreatedRegistrant,
  CreateRegistrantBody,
  CreateRegistrantQuery,
  DeleteRegistrantQuery,
  ListRegistrantsQuery,
  Registrant,
  RegistrantList,
  RegistrationQuestions,
  UpdateRegistrantStatusBody,
  UpdateRegistrantStatusQuery,
  UpdateRegistrationQuestionsBody,
} from './registrants.types.js';
import { ZoomResource } from './resource.js';

export type * from './registrants.types.js';

/** One registrant as GET /meetings/{meetingId}/registrants lists it. */
export type RegistrantListItem = NonNullable<RegistrantList['registrants']>[number];

export type ListRegistrantsOptions = Omit<ListRegistrantsQuery, 'next_page_token'>;

const registrantsPath = (meetingId: number | string) =>
  `/meetings/${encodeURIComponent(String(meetingId))}/registrants`;

export class RegistrantsResource extends ZoomResource {
  /**
   * POST /meetings/{meetingId}/registrants (201): the registrant's id and own `join_url`. The same
   * email registering again answers the registration it has.
   */
  create(
    meetingId: number | string,
    body: CreateRegistrantBody,
    query?: CreateRegistrantQuery,
    options?: CallOptions,
  ): Promise<CreatedRegistrant> {
    return this.call('POST', registrantsPath(meetingId), { ...options, body, query });
  }

  /** GET /meetings/{meetingId}/registrants/{registrantId}. */
  get(meetingId: number | string, registrantId: string, options?: CallOptions): Promise<Registrant> {
    return this.call('GET', `${registrantsPath(meetingId)}/${encodeURIComponent(registrantId)}`, options);
  }

  /** GET /meetings/{meetingId}/registrants: one page (`status` approved unless given). */
  listPage(
    meetingId: number | string,
    query?: ListRegistrantsQuery,
    options?: CallOptions,
  ): Promise<RegistrantList> {
    return this.call('GET', registrantsPath(meetingId), { ...options, query });
  }

  /**
   * GET /meetings/{meetingId}/registrants over every page:
   * `for await (const r of zoom.meetings.registrants.list(id, { status: 'pending' }))`, or `.pages()`.
   */
  list(
    meetingId: number | string,
    query: ListRegistrantsOptions = {},
    options?: CallOptions,
  ): PageIterator<RegistrantListItem, RegistrantList> {
    return this.paginate(
      query,
      (q) => this.listPage(meetingId, q, options),
      (page) => page.registrants,
    );
  }

  /** DELETE /meetings/{meetingId}/registrants/{registrantId} (204). */
  async delete(
    meetingId: number | string,
    registrantId: string,
    query?: DeleteRegistrantQuery,
    options?: CallOptions,
  ): Promise<void> {
    await this.call('DELETE', `${registrantsPath(meetingId)}/${encodeURIComponent(registrantId)}`, {
      ...options,
      query,
    });
  }

  /** PUT /meetings/{meetingId}/registrants/status (204): approve, deny or cancel registrants. */
  async updateStatus(
    meetingId: number | string,
    body: UpdateRegistrantStatusBody,
    query?: UpdateRegistrantStatusQuery,
    options?: CallOptions,
  ): Promise<void> {
    await this.call('PUT', `${registrantsPath(meetingId)}/status`, { ...options, body, query });
  }

  /** GET and PATCH /meetings/{meetingId}/registrants/questions. */
  readonly questions = {
    get: (meetingId: number | string, options?: CallOptions): Promise<RegistrationQuestions> =>
      this.call('GET', `${registrantsPath(meetingId)}/questions`, options),
    update: async (
      meetingId: number | string,
      body: UpdateRegistrationQuestionsBody,
      options?: CallOptions,
    ): Promise<void> => {
      await this.call('PATCH', `${registrantsPath(meetingId)}/questions`, { ...options, body });
    },
  };
}
