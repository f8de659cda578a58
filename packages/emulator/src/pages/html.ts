/** Server-rendered HTML for the meeting pages: every value escaped, no scripts, no external resources. */
import { esc, layout } from './layout.js';

/** What this module's pages add to the frame's style. */
const STYLE = `
  main { max-width: 480px; margin: 48px auto; background: #fff; border-radius: 12px; padding: 28px 32px;
         box-shadow: 0 4px 24px rgba(20, 30, 60, .08); }
  h1 { font-size: 20px; margin: 0 0 8px; }
  p.sub { color: #5b6475; margin: 0 0 16px; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; margin: 12px 0 0; font-size: 14px; }
  dt { color: #5b6475; } dd { margin: 0; font-family: ui-monospace, monospace; }
  input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: 10px 12px;
         border: 1px solid #cfd5e0; border-radius: 8px; font-size: 15px; }
  button { margin-top: 20px; width: 100%; padding: 11px; font-size: 15px; border-radius: 8px;
           border: 1px solid #0b5cff; background: #0b5cff; color: #fff; cursor: pointer; }
  .ok { color: #067647; background: #ecfdf3; border-radius: 8px; padding: 10px 12px; margin-bottom: 12px; }
`;

/** A Zoom-like error page: a title, what went wrong, and Zoom's error code when it has one. */
export function errorPage(title: string, message: string, code?: number): string {
  return page(
    title,
    `<h1>${esc(title)}</h1><div class="error" role="alert">${esc(message)}${code ? ` (${code})` : ''}</div>`,
  );
}

export interface MeetingSummary {
  id: number;
  topic: string;
  hostName: string;
  hostEmail: string;
}

/** Group the meeting number like Zoom shows it: 812 3456 7890. */
export function meetingNumber(id: number): string {
  const s = String(id);
  return s.length === 11 ? `${s.slice(0, 3)} ${s.slice(3, 7)} ${s.slice(7)}` : s;
}

export function startedPage(m: MeetingSummary): string {
  const host = m.hostName ? `${m.hostName} (${m.hostEmail})` : m.hostEmail;
  return page(
    `Meeting ${m.id} started`,
    `<h1 id="started">Meeting ${esc(String(m.id))} started by ${esc(host)}</h1>
<div class="ok" role="status">You are the host. In Zoom the meeting would now open in the client.</div>
<dl><dt>Topic</dt><dd id="topic">${esc(m.topic)}</dd><dt>Meeting ID</dt><dd>${esc(meetingNumber(m.id))}</dd>
<dt>Host</dt><dd>${esc(m.hostEmail)}</dd></dl>`,
  );
}

export interface JoinView {
  id: number;
  topic: string;
  /** The `pwd` from the link, when it was right: the passcode field is not asked for then. */
  pwd?: string;
  error?: string;
  name?: string;
  /** A registrant's own link (`tk`, checked): carried by the form, with the registered email. */
  tk?: string;
  email?: string;
}

export function joinPage(v: JoinView): string {
  const passcode = v.pwd
    ? `<input type="hidden" name="pwd" value="${esc(v.pwd)}">`
    : '<label for="passcode">Meeting passcode</label><input id="passcode" name="passcode" type="password" autocomplete="off" maxlength="10">';
  return page(
    `Join ${v.topic}`,
    `<h1 id="topic">${esc(v.topic)}</h1><p class="sub">Meeting ID ${esc(meetingNumber(v.id))}</p>
${v.error ? `<div class="error" role="alert">${esc(v.error)}</div>` : ''}
<form method="post" action="/j/${esc(String(v.id))}">${passcode}${v.tk ? `<input type="hidden" name="tk" value="${esc(v.tk)}">` : ''}
<label for="name">Your name</label><input id="name" name="name" type="text" maxlength="64" required value="${esc(v.name ?? '')}">
${
  v.tk
    ? `<p class="sub" id="registered">Registered as ${esc(v.email ?? '')}</p>`
    : '<label for="email">Email (optional)</label><input id="email" name="email" type="email" maxlength="128" autocomplete="email">'
}
<button type="submit">Join</button></form>`,
  );
}

export function joinedPage(m: {
  id: number;
  topic: string;
  name: string;
  started: boolean;
  /** Zoom's per-meeting participant id, once the person is in the meeting. */
  participantId?: string;
}): string {
  return page(
    `Joined ${m.topic}`,
    `<h1 id="joined">${esc(m.name)} joined ${esc(m.topic)}</h1>
<div class="${m.started ? 'ok' : 'error'}" role="status">${
      m.started
        ? 'The host has started this meeting.'
        : 'Please wait, the meeting host will let you in soon: the host has not started this meeting yet.'
    }</div><dl><dt>Meeting ID</dt><dd>${esc(meetingNumber(m.id))}</dd>${
      m.participantId ? `<dt>Participant ID</dt><dd id="participant">${esc(m.participantId)}</dd>` : ''
    }</dl>`,
  );
}

/** This module's pages in the shared frame, with this module's style. */
function page(title: string, body: string): string {
  return layout(title, body, STYLE);
}
