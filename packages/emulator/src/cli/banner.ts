import type { DemoCredentials } from '../world/demo.js';

/** The start-up banner: where Zemu listens, the demo credentials, and a curl pair that works as printed. */
export function banner(
  url: string,
  store: string,
  demo: DemoCredentials | null,
  tls?: { url: string; caCertPath: string },
): string {
  const lines = [
    '',
    `  Zemu is running: a local Zoom at ${url}`,
    '',
    `    OAuth (zoom.us)        ${url}/oauth/token`,
    `    REST API (api.zoom.us) ${url}/v2`,
    `    Control API            ${url}/_zemu`,
    `    Console                ${url}/_zemu/console   (open it in a browser)`,
    `    Store                  ${store}`,
  ];
  if (tls) {
    const port = new URL(tls.url).port;
    lines.push(
      `    HTTPS                  ${tls.url} (as zoom.us and api.zoom.us)`,
      `    Local CA               ${tls.caCertPath}`,
      `      curl --connect-to api.zoom.us:443:127.0.0.1:${port} --cacert "${tls.caCertPath}" https://api.zoom.us/v2/...`,
    );
  }
  if (demo) {
    lines.push(
      '',
      '  Demo account (Server-to-Server OAuth app with every user and meeting scope):',
      `    account_id     ${demo.account_id}`,
      `    client_id      ${demo.client_id}`,
      `    client_secret  ${demo.client_secret}`,
      `    owner user     ${demo.user_id} <${demo.email}>`,
      '',
      '  Try it:',
      `    TOKEN=$(curl -s -X POST "${url}/oauth/token?grant_type=account_credentials&account_id=${demo.account_id}" \\`,
      `      -u "${demo.client_id}:${demo.client_secret}" | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`,
      `    curl -s "${url}/v2/users/${demo.user_id}/token?type=zak&ttl=3600" -H "Authorization: Bearer $TOKEN"`,
    );
  }
  lines.push('', '  Ctrl-C to stop.', '');
  return lines.join('\n');
}
