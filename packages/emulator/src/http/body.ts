/** Request bodies: JSON (empty allowed, as clients send for POST /oauth/token) and HTML forms. */
import type { FastifyInstance } from 'fastify';
import { zoomErrors } from '../errors/zoom.js';

export function installBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(zoomErrors.invalidJson(), undefined);
    }
  });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (request, body, done) => {
      const text = String(body);
      // Zoom's REST API takes JSON only: a form body on /v2 (curl -d's default type) is refused as
      // "not a valid JSON object" rather than read as fields. /oauth takes forms, as Zoom's does.
      if (request.url.startsWith('/v2/') && text.trim() !== '')
        return done(zoomErrors.invalidJson(), undefined);
      done(null, Object.fromEntries(new URLSearchParams(text)));
    },
  );
}
