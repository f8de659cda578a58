/*
 * The Zemu console in the browser. Pages are HTML fragments Zemu renders (/_zemu/console/f/*), loaded
 * by htmx into <main>; this script adds what htmx does not do:
 *   - the admin token: asked once when the control API answers 401, kept in sessionStorage, sent as
 *     the Authorization header on every request (never in a URL);
 *   - hash routing (#world, #meetings?user=...), so Back and bookmarks work;
 *   - writes: forms and buttons send JSON to the control API itself, and its Zoom-shaped validation
 *     errors ({code, message, errors: [{field, message}]}) are shown next to the fields they name;
 *   - the live request log: the control API's SSE stream read with fetch (EventSource cannot send a
 *     header), rows capped so that a fast stream never freezes the page;
 *   - destructive writes (data-confirm: reset, restore, import, ...) asked in a dialog first, whose
 *     default button is Cancel; the state document downloaded (fetch with the header, then a Blob)
 *     and uploaded (the chosen file sent as it is, never parsed here).
 * No data is ever written with innerHTML: what comes as JSON is set as text.
 */
(() => {
  const KEY = 'zemu.adminToken';
  const FRAGMENTS = '/_zemu/console/f/';
  /** Rows the live log keeps; older ones are dropped (the control API keeps more: GET /_zemu/requests). */
  const MAX_ROWS = 500;
  const page = document.getElementById('page');
  const gateState = document.getElementById('gate-state');
  const dialog = document.getElementById('admin-token-dialog');
  let current = '';
  let live = null;

  const token = () => sessionStorage.getItem(KEY);
  const authHeaders = () => {
    const t = token();
    return t ? { authorization: `Bearer ${t}` } : {};
  };

  /** A JSON write to the control API; a Blob (a chosen file) is sent as it is, as JSON. */
  async function callApi(method, path, body) {
    const headers = { ...authHeaders(), accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : body instanceof Blob ? body : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (response.status === 401) askToken();
    return { status: response.status, ok: response.ok, json };
  }

  // --- The admin token --------------------------------------------------------------------------

  function askToken(message) {
    stopLive();
    page.replaceChildren(
      text('p', 'The control API needs the admin token: nothing is shown without it.', 'muted'),
    );
    gateState.textContent = 'Locked';
    document.getElementById('admin-token-error').textContent = message || '';
    if (!dialog.open) dialog.showModal();
    document.getElementById('admin-token').focus();
  }

  document.getElementById('admin-token-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const field = document.getElementById('admin-token');
    const value = field.value.trim();
    if (!value) return;
    sessionStorage.setItem(KEY, value);
    const probe = await fetch('/_zemu/health', { headers: authHeaders(), credentials: 'omit' });
    if (probe.status === 401) {
      sessionStorage.removeItem(KEY);
      const body = await probe.json().catch(() => ({}));
      document.getElementById('admin-token-error').textContent =
        `That token was refused: ${body.message || 'not the admin token'} (${body.code || 401})`;
      field.setAttribute('aria-invalid', 'true');
      field.focus();
      return;
    }
    field.value = '';
    field.removeAttribute('aria-invalid');
    dialog.close();
    gateState.textContent = 'Unlocked with the admin token';
    route();
  });

  // --- htmx: the header on every request, errors in place ----------------------------------------

  document.body.addEventListener('htmx:configRequest', (event) => {
    const t = token();
    if (t) event.detail.headers.Authorization = `Bearer ${t}`;
  });
  document.body.addEventListener('htmx:responseError', (event) => {
    const xhr = event.detail.xhr;
    if (xhr.status === 401) return askToken();
    let body = {};
    try {
      body = JSON.parse(xhr.responseText);
    } catch {
      body = {};
    }
    const target = event.detail.target || page;
    target.replaceChildren(
      text(
        'p',
        `Could not load this view: ${body.message || xhr.statusText} (${body.code || xhr.status})`,
        'form-error',
      ),
    );
    target.querySelector('p').setAttribute('role', 'alert');
  });
  document.body.addEventListener('htmx:afterSwap', (event) => {
    if (event.detail.target === page) afterPageLoad();
  });

  // --- Routing -----------------------------------------------------------------------------------

  const pageNames = [...document.querySelectorAll('nav a[data-page]')].map((a) => a.dataset.page);

  function route() {
    const [name, query] = location.hash.slice(1).split('?');
    const pageName = pageNames.includes(name) ? name : pageNames[0];
    for (const a of document.querySelectorAll('nav a[data-page]')) {
      if (a.dataset.page === pageName) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    load(`${FRAGMENTS}${pageName}${query ? `?${query}` : ''}`);
  }

  function load(url) {
    stopLive();
    current = url;
    return htmx.ajax('GET', url, { target: '#page', swap: 'innerHTML' });
  }

  const reload = () => (current ? load(current) : Promise.resolve());

  function afterPageLoad() {
    document.title = `Zemu console · ${page.querySelector('h1')?.textContent || ''}`;
    if (current.startsWith(`${FRAGMENTS}requests`)) startLive();
  }

  window.addEventListener('hashchange', route);

  // --- Confirmation of destructive writes ---------------------------------------------------------

  const confirmDialog = document.getElementById('confirm-dialog');

  /** Resolves true when the person confirms; Cancel, Escape or closing the dialog is a no. */
  function confirmWith(el) {
    if (!el.dataset.confirm) return Promise.resolve(true);
    document.getElementById('confirm-title').textContent = el.dataset.confirmTitle || 'Are you sure?';
    document.getElementById('confirm-message').textContent = el.dataset.confirm;
    document.getElementById('confirm-ok').textContent = el.dataset.confirmLabel || 'Confirm';
    confirmDialog.returnValue = '';
    const opener = document.activeElement;
    return new Promise((resolve) => {
      confirmDialog.addEventListener(
        'close',
        () => {
          // Focus goes back where it was (the button or the form that asked).
          if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
          resolve(confirmDialog.returnValue === 'confirm');
        },
        { once: true },
      );
      confirmDialog.showModal();
      document.getElementById('confirm-cancel').focus();
    });
  }
  document.getElementById('confirm-cancel').addEventListener('click', () => confirmDialog.close('cancel'));
  document.getElementById('confirm-ok').addEventListener('click', () => confirmDialog.close('confirm'));

  /** The page's status line (role=status) says what a write did; with an answer, `{field}` is taken from it. */
  function announce(template, json) {
    const status = page.querySelector('.page-status');
    if (!status || !template) return false;
    status.textContent = json
      ? template.replace(/\{(\w+)\}/g, (_, key) => String(json[key] ?? ''))
      : template;
    return true;
  }

  /** A refused one-click write: the control API's words next to the button, never a blank. */
  function actionError(button, problem) {
    let slot = button.nextElementSibling;
    if (!slot?.classList.contains('action-error')) {
      slot = text('span', '', 'field-error action-error');
      slot.setAttribute('role', 'alert');
      button.after(slot);
    }
    slot.textContent = problem.code
      ? `${problem.message || 'Refused'} (code ${problem.code})`
      : problem.message || 'Refused';
  }

  // --- Writes: forms and buttons -----------------------------------------------------------------

  function setPath(target, parts, value) {
    let node = target;
    for (const part of parts.slice(0, -1)) {
      node[part] ??= {};
      node = node[part];
    }
    node[parts[parts.length - 1]] = value;
  }

  /** The form as the control API's JSON: empty fields are left out; numbers stay text when they are not numbers (the API says why). */
  function formBody(form) {
    const body = {};
    for (const el of form.elements) {
      if (!el.name) continue;
      const as = el.dataset.as || '';
      let value;
      if (as === 'bool') value = el.checked;
      else {
        const raw = el.value.trim();
        if (raw === '') continue;
        if (as === 'number') value = Number.isFinite(Number(raw)) ? Number(raw) * scale(form, el) : raw;
        else if (as === 'list') value = raw.split(/[\s,]+/).filter(Boolean);
        else value = raw;
      }
      setPath(body, el.name.split('.'), value);
    }
    return body;
  }

  /** A number field may have a unit select (data-scales names the field): seconds from minutes, hours, days. */
  function scale(form, el) {
    const unit = el.id && form.querySelector(`select[data-scales="${CSS.escape(el.id)}"]`);
    return unit ? Number(unit.value) : 1;
  }

  function clearErrors(form) {
    for (const slot of form.querySelectorAll('[data-error-for]')) slot.textContent = '';
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  }

  /** Zoom's {code, message, errors}: each error next to the field it names, the rest at the form's foot. */
  function showErrors(form, status, json) {
    const problem = json || { code: status, message: `HTTP ${status}` };
    const general = form.querySelector('[data-error-for="_form"]');
    const lines = [`${problem.message} (code ${problem.code})`];
    let first = null;
    for (const e of problem.errors || []) {
      const slot = form.querySelector(`[data-error-for="${CSS.escape(e.field)}"]`);
      if (!slot) {
        lines.push(`${e.field}: ${e.message}`);
        continue;
      }
      slot.textContent = slot.textContent ? `${slot.textContent} ${e.message}` : e.message;
      const input = form.querySelector(`[name="${CSS.escape(e.field)}"]`);
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        first ??= input;
      }
    }
    general.textContent = lines.join(' · ');
    (first || general).focus?.();
  }

  document.body.addEventListener('submit', async (event) => {
    const form = event.target;
    if (form.classList.contains('route-form')) {
      event.preventDefault();
      const query = new URLSearchParams(new FormData(form)).toString();
      location.hash = `${form.dataset.route}${query ? `?${query}` : ''}`;
      return;
    }
    if (form.id === 'requests-filter') {
      event.preventDefault();
      startLive();
      return;
    }
    if (!form.classList.contains('api-form')) return;
    event.preventDefault();
    clearErrors(form);
    let body;
    if (form.dataset.upload === 'file') {
      const field = form.querySelector('input[type="file"]');
      body = field?.files?.[0];
      if (!body) {
        const slot = form.querySelector(`[data-error-for="${CSS.escape(field?.name || '_form')}"]`);
        slot.textContent = 'Choose a file first.';
        field?.setAttribute('aria-invalid', 'true');
        field?.focus();
        return;
      }
    } else body = formBody(form);
    if (!(await confirmWith(form))) return;
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      const result = await callApi(form.dataset.method, form.dataset.path, body);
      if (!result.ok) {
        if (result.status !== 401) showErrors(form, result.status, result.json);
        return;
      }
      let target = form;
      if (form.dataset.reload === 'yes') {
        await reload();
        target = document.getElementById(form.id) || page;
      }
      if (!announce(form.dataset.done, result.json)) showResult(target, form.dataset.result, result.json);
    } catch (error) {
      form.querySelector('[data-error-for="_form"]').textContent = `Zemu did not answer: ${error.message}`;
    } finally {
      button.disabled = false;
    }
  });

  // A file chosen after "Choose a file first.": the complaint goes.
  document.body.addEventListener('change', (event) => {
    const field = event.target;
    if (!(field instanceof HTMLInputElement) || field.type !== 'file' || !field.files?.length) return;
    field.removeAttribute('aria-invalid');
    const slot = field.form?.querySelector(`[data-error-for="${CSS.escape(field.name)}"]`);
    if (slot) slot.textContent = '';
  });

  document.body.addEventListener('click', async (event) => {
    const copy = event.target.closest('button.copy');
    if (copy) return copyText(copy);
    const opener = event.target.closest('button[data-request]');
    if (opener) {
      return htmx.ajax('GET', `${FRAGMENTS}requests/${opener.dataset.request}`, {
        target: '#request-detail',
        swap: 'innerHTML',
      });
    }
    const download = event.target.closest('button.download');
    if (download) return downloadFrom(download);
    const button = event.target.closest('button.api-action');
    if (!button) return;
    if (!(await confirmWith(button))) return;
    button.disabled = true;
    const body = button.dataset.body ? JSON.parse(button.dataset.body) : undefined;
    let result;
    try {
      result = await callApi(button.dataset.method, button.dataset.path, body);
    } catch (error) {
      return actionError(button, { message: `Zemu did not answer: ${error.message}` });
    } finally {
      button.disabled = false;
    }
    if (result.ok) {
      await reload();
      page.focus();
      // Literal: a button's message may hold a snapshot's name, braces and all.
      announce(button.dataset.done);
    } else if (result.status !== 401) {
      actionError(button, result.json || { code: result.status, message: `HTTP ${result.status}` });
    }
  });

  /** A download through the gate: fetched with the header (a link could not send it), saved from a Blob. */
  async function downloadFrom(button) {
    button.disabled = true;
    try {
      const response = await fetch(button.dataset.path, {
        headers: { ...authHeaders(), accept: 'application/json' },
        credentials: 'omit',
        cache: 'no-store',
      });
      if (response.status === 401) return askToken();
      if (!response.ok) {
        const json = await response.json().catch(() => null);
        return actionError(button, json || { code: response.status, message: `HTTP ${response.status}` });
      }
      const blob = await response.blob();
      const disposition = response.headers.get('content-disposition') || '';
      const name = /filename="([^"]+)"/.exec(disposition)?.[1] || 'download.json';
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      const slot = button.nextElementSibling;
      if (slot?.classList.contains('action-error')) slot.remove();
      announce(`Downloaded ${name} (${blob.size} bytes).`);
    } catch (error) {
      actionError(button, { message: `Zemu did not answer: ${error.message}` });
    } finally {
      button.disabled = false;
    }
  }

  async function copyText(button) {
    const value = button.dataset.copy;
    try {
      await navigator.clipboard.writeText(value);
      button.textContent = 'Copied';
    } catch {
      // No clipboard outside a secure context: select the value for Ctrl-C instead.
      const code = button.previousElementSibling;
      if (code) getSelection().selectAllChildren(code);
      button.textContent = 'Selected: press Ctrl-C';
    }
    setTimeout(() => {
      button.textContent = button.getAttribute('aria-label')?.startsWith('Copy the curl')
        ? 'Copy curl'
        : 'Copy';
    }, 1500);
  }

  function text(tag, content, className) {
    const el = document.createElement(tag);
    el.textContent = content;
    if (className) el.className = className;
    return el;
  }

  function factList(entries) {
    const dl = document.createElement('dl');
    dl.className = 'facts';
    for (const [k, v] of entries) {
      if (v === undefined) continue;
      dl.append(text('dt', k), text('dd', Array.isArray(v) ? v.join(' ') : v === null ? '—' : String(v)));
    }
    return dl;
  }

  function showResult(form, kind, json) {
    const slot = form.querySelector('.result');
    if (!slot || !json) return;
    if (kind === 'credentials') {
      const origin = location.origin;
      const curl =
        json.type === 'server_to_server'
          ? `TOKEN=$(curl -s -X POST "${origin}/oauth/token?grant_type=account_credentials&account_id=${json.account_id}" \\\n  -u "${json.client_id}:${json.client_secret}" | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')\ncurl -s "${origin}/v2/users/me/token?type=zak" -H "Authorization: Bearer $TOKEN"`
          : '';
      const box = document.createElement('div');
      box.className = 'credentials';
      box.id = 'created-credentials';
      box.append(text('h3', `Created ${json.name}: copy the secret now, Zemu keeps only its hash`));
      for (const [label, value, id] of [
        ['Account ID', json.account_id, 'created-account-id'],
        ['Client ID', json.client_id, 'created-client-id'],
        ['Client secret', json.client_secret, 'created-client-secret'],
      ]) {
        const row = document.createElement('p');
        const code = text('code', value);
        code.id = id;
        const button = text('button', 'Copy', 'copy');
        button.type = 'button';
        button.dataset.copy = value;
        button.setAttribute('aria-label', `Copy ${label}`);
        row.append(text('span', `${label}: `), code, ' ', button);
        box.append(row);
      }
      if (curl) {
        const pre = document.createElement('pre');
        pre.append(text('code', curl));
        box.append(pre);
      }
      slot.replaceChildren(box);
    } else if (kind === 'json') {
      slot.replaceChildren(factList(Object.entries(json)));
      slot.firstChild.id = `${form.id}-result`;
    } else {
      slot.replaceChildren(text('p', 'Saved.', 'ok'));
    }
  }

  // --- The live request log ----------------------------------------------------------------------

  function stopLive() {
    if (live) live.abort();
    live = null;
  }

  function startLive() {
    stopLive();
    const controller = new AbortController();
    live = controller;
    const form = document.getElementById('requests-filter');
    const rows = document.getElementById('requests-rows');
    const state = document.getElementById('live-state');
    if (!form || !rows) return;
    const filter = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (String(v).trim()) filter.set(k, String(v).trim());
    rows.replaceChildren();
    let pending = [];
    let scheduled = false;
    let lastId = 0;
    let shown = 0;

    const flush = () => {
      scheduled = false;
      if (controller.signal.aborted) return;
      const batch = pending.slice(-MAX_ROWS);
      pending = [];
      const fragment = document.createDocumentFragment();
      for (let i = batch.length - 1; i >= 0; i--) fragment.append(row(batch[i]));
      rows.prepend(fragment);
      while (rows.childElementCount > MAX_ROWS) rows.lastElementChild.remove();
      shown = rows.childElementCount;
      state.textContent = `Live: ${shown} shown, newest first${shown >= MAX_ROWS ? ` (the newest ${MAX_ROWS} kept)` : ''}.`;
    };
    const add = (entries) => {
      for (const e of entries) {
        if (e.id <= lastId) continue;
        lastId = e.id;
        pending.push(e);
      }
      // Keep only what can be shown: a burst never grows the queue past one screenful of rows.
      if (pending.length > MAX_ROWS) pending = pending.slice(-MAX_ROWS);
      if (!scheduled) {
        scheduled = true;
        requestAnimationFrame(flush);
        // A hidden tab gets no animation frames: flush anyway now and then.
        setTimeout(() => scheduled && flush(), 250);
      }
    };

    (async () => {
      const first = await callApi('GET', `/_zemu/requests?page_size=${MAX_ROWS}&${filter}`);
      if (controller.signal.aborted) return;
      if (!first.ok) {
        state.textContent =
          first.status === 401 ? 'Locked.' : `Filter refused: ${first.json?.message} (${first.json?.code})`;
        for (const e of first.json?.errors || []) {
          const slot = form.querySelector(`[data-error-for="${CSS.escape(e.field)}"]`);
          if (slot) slot.textContent = e.message;
        }
        return;
      }
      for (const slot of form.querySelectorAll('[data-error-for]')) slot.textContent = '';
      add([...first.json.requests].reverse());
      while (!controller.signal.aborted) {
        try {
          await follow(filter, lastId, controller.signal, add, state);
        } catch {
          if (controller.signal.aborted) return;
        }
        if (controller.signal.aborted) return;
        state.textContent = 'Reconnecting…';
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    })();
  }

  /** Reads the SSE stream until it ends: `event: request` blocks whose data is one entry. */
  async function follow(filter, since, signal, add, state) {
    const response = await fetch(`/_zemu/requests/stream?${filter}&since=${since}`, {
      headers: { ...authHeaders(), accept: 'text/event-stream' },
      credentials: 'omit',
      signal,
    });
    if (response.status === 401) {
      askToken();
      return;
    }
    if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
    state.textContent = 'Live.';
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      const blocks = buffer.split('\n\n');
      buffer = blocks.pop();
      const entries = [];
      for (const block of blocks) {
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data: '))
          .map((line) => line.slice(6))
          .join('\n');
        if (data) entries.push(JSON.parse(data));
      }
      if (entries.length) add(entries);
    }
  }

  function row(e) {
    const tr = document.createElement('tr');
    tr.dataset.status = String(e.status);
    tr.className = e.status >= 500 ? 's5' : e.status >= 400 ? 's4' : 's2';
    const open = text('button', e.at.slice(11, 23), 'linklike');
    open.type = 'button';
    open.setAttribute('aria-label', `Open request ${e.id}: ${e.method} ${e.path} ${e.status}`);
    open.dataset.request = String(e.id);
    const first = document.createElement('td');
    first.append(open);
    tr.append(
      first,
      text('td', e.method),
      text('td', e.path),
      text('td', String(e.status)),
      text('td', e.code ?? e.error ?? ''),
      text('td', e.reason ?? ''),
    );
    return tr;
  }

  document.body.addEventListener('htmx:afterSwap', (event) => {
    if (event.detail.target.id === 'request-detail') event.detail.target.focus();
  });

  // --- Start: is the control API open to this browser? --------------------------------------------

  (async () => {
    const probe = await fetch('/_zemu/health', { headers: authHeaders(), credentials: 'omit' });
    if (probe.status === 401) {
      sessionStorage.removeItem(KEY);
      askToken();
      return;
    }
    gateState.textContent = token() ? 'Unlocked with the admin token' : 'Open to this loopback caller';
    route();
  })();
})();
