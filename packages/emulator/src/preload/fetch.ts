/**
 * The global `fetch` (Node's built-in undici) and the undici package share one global dispatcher,
 * set through undici's `setGlobalDispatcher`. Zemu's dispatcher sends requests for Zoom's hosts to
 * Zemu with the Host header they would have carried, and hands every other request on unchanged.
 */
import { Dispatcher, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { logRewrite, type Targets } from './targets.js';

type Headers = Dispatcher.DispatchOptions['headers'];

function withHost(headers: Headers, host: string): Headers {
  if (headers === undefined || headers === null) return { host };
  if (Array.isArray(headers)) {
    // Either [name, value, name, value] or [[name, value], ...].
    const flat = headers.flat() as string[];
    for (let i = 0; i < flat.length; i += 2) if (String(flat[i]).toLowerCase() === 'host') return headers;
    return [...flat, 'host', host];
  }
  if (typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function') {
    const pairs = [...(headers as Iterable<[string, string]>)];
    if (pairs.some(([k]) => k.toLowerCase() === 'host')) return headers;
    return [...pairs.flat(), 'host', host];
  }
  const record = headers as Record<string, string | string[] | undefined>;
  if (Object.keys(record).some((k) => k.toLowerCase() === 'host')) return headers;
  return { ...record, host };
}

class ZemuDispatcher extends Dispatcher {
  constructor(
    private readonly inner: Dispatcher,
    private readonly targets: Targets,
  ) {
    super();
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandlers): boolean {
    const origin = options.origin === undefined ? undefined : new URL(String(options.origin));
    const target = origin ? this.targets.lookup(origin.hostname) : undefined;
    if (!origin || !target) return this.inner.dispatch(options, handler);
    if (this.targets.debug) logRewrite('fetch', options.method, origin.origin, options.path, target);
    return this.inner.dispatch(
      { ...options, origin: target.origin, headers: withHost(options.headers, origin.host) },
      handler,
    );
  }

  override close(...args: unknown[]): never {
    return (this.inner.close as (...a: unknown[]) => never)(...args);
  }

  override destroy(...args: unknown[]): never {
    return (this.inner.destroy as (...a: unknown[]) => never)(...args);
  }
}

export function patchFetch(targets: Targets): void {
  setGlobalDispatcher(new ZemuDispatcher(getGlobalDispatcher(), targets));
}
