/**
 * The files behind a recording's `download_url` and `play_url` (outside /v2, as Zoom serves them from
 * its web domain): `GET /rec/download/{fileId}` streams the file as an attachment, `GET /rec/play/{fileId}`
 * inline. The credential is, as Zoom documents, recording.completed's `download_token` (or the
 * `download_access_token` of GET /meetings/{meetingId}/recordings) in `?access_token=`, or an OAuth
 * access token with a recording scope, as `Authorization: Bearer` (or in `?access_token=`).
 *   no or a bad token, an expired one          401 code 124
 *   a download token of another recording,
 *   an access token that does not reach it     403 code 200
 *   a file that is gone or in the trash        404 code 3301
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Ctx } from '../../context.js';
import { accessErrors } from '../../errors/access.js';
import { authenticate } from '../../guard/bearer.js';
import { requireScopes } from '../../guard/scopes.js';
import { assetNamed, assetSize, assetStream } from '../../recordings/assets.js';
import { checkDownloadToken } from '../../recordings/token.js';
import type { Recording } from '../../store/models.js';
import { recordingErrors } from './errors.js';
import { RECORDING_DOWNLOAD_SCOPES } from './scopes.js';

const FILE_ID = /^[0-9a-f-]{36}$/;
const BEARER = /^Bearer\s+(\S+)\s*$/i;

const forbidden = recordingErrors.forbidden;

/** Whether the request's credential may read `recording`; throws Zoom's refusal otherwise. */
async function requireCredential(
  ctx: Ctx,
  authorization: string | undefined,
  queryToken: unknown,
  recording: Recording,
): Promise<void> {
  const bearer = authorization ? BEARER.exec(authorization)?.[1] : undefined;
  if (authorization && !bearer)
    throw accessErrors.invalidToken('Authorization header is not "Bearer <token>"');
  const token = bearer ?? (typeof queryToken === 'string' ? queryToken : undefined);
  if (!token) throw accessErrors.invalidToken('no download token or access token');
  const check = checkDownloadToken(ctx.keys.recordingDownload, token, ctx.clock.now());
  if (check.ok) {
    if (check.claims.mid !== recording.uuid || check.claims.accountId !== recording.accountId)
      throw forbidden('the download token belongs to another recording');
    return;
  }
  if (check.reason === 'expired') throw accessErrors.expiredToken('the download token has expired');
  if (check.reason === 'invalid') throw accessErrors.invalidToken('the download token is not valid');
  // Not a download token: an OAuth access token, checked as the /v2 guard checks one.
  const principal = await authenticate(ctx, `Bearer ${token}`, undefined);
  if (principal.accountId !== recording.accountId)
    throw forbidden("the access token is of another account than the recording's");
  const isSelf = principal.user?.id === recording.hostId;
  if (!isSelf && principal.app.type === 'oauth_user')
    throw forbidden("a user-level token reaches only its own user's recordings");
  requireScopes(principal.scopes, RECORDING_DOWNLOAD_SCOPES, { isMe: false, isSelf });
}

export function recordingDownloadRoutes(ctx: Ctx) {
  async function serve(
    fileId: string,
    authorization: string | undefined,
    queryToken: unknown,
    reply: FastifyReply,
    disposition: 'attachment' | 'inline',
  ) {
    const file = FILE_ID.test(fileId) ? await ctx.store.recordings.findFile(fileId) : undefined;
    const recording = file && (await ctx.store.recordings.findByUuid(file.recordingUuid));
    const asset = file && assetNamed(file.asset);
    if (!file || !recording || !asset) throw recordingErrors.noRecording('no such recording file');
    // The credential first: whether a file exists is not told to a caller who may not read it.
    await requireCredential(ctx, authorization, queryToken, recording);
    if (file.trashedAt !== null || recording.trashedAt !== null)
      throw recordingErrors.noRecording('the file is in the trash');
    const name = `${recording.topic.replace(/[^\w .-]/g, '_').slice(0, 64) || 'recording'}.${file.fileExtension.toLowerCase()}`;
    return reply
      .header('content-type', asset.contentType)
      .header('content-length', String(assetSize(asset)))
      .header('content-disposition', `${disposition}; filename="${name}"`)
      .header('cache-control', 'private, no-store')
      .send(assetStream(asset));
  }

  return async (app: FastifyInstance) => {
    type Request = { Params: { fileId: string }; Querystring: { access_token?: unknown } };
    app.get<Request>('/rec/download/:fileId', async (request, reply) =>
      serve(
        request.params.fileId,
        request.headers.authorization,
        request.query.access_token,
        reply,
        'attachment',
      ),
    );
    app.get<Request>('/rec/play/:fileId', async (request, reply) =>
      serve(
        request.params.fileId,
        request.headers.authorization,
        request.query.access_token,
        reply,
        'inline',
      ),
    );
  };
}
