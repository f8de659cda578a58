/**
 * Benchmark helpers: servers run in child processes (so the load generator does not share their event
 * loop), autocannon drives them over loopback in alternating rounds, and medians are reported.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Scenario {
  name: string;
  /** The server process answering it: its CPU time per request is measured from /proc (Linux). */
  pid?: number;
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Sample {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** Server CPU (user + system) per answered request, microseconds; null when not measurable. */
  cpuUs: number | null;
  /** Share of one core the server used during the run: near 100% means the server was the limit. */
  busy: number | null;
}

export interface ServerHandle<T> {
  info: T;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Compiles the packages, so that the bench measures the JavaScript that ships (not a TypeScript loader).
 * BENCH_SKIP_BUILD=1 runs what `dist/` holds (e.g. another commit's build copied beside the bench).
 */
export function build(): void {
  if (process.env.BENCH_SKIP_BUILD === '1') return;
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
}

/**
 * Starts `bench/server.mjs <kind>` (or another script of bench/ with `script`) in a child process and
 * waits for its JSON "ready" line.
 */
export async function startServer<T>(
  kind: string,
  extraArgs: string[] = [],
  script = 'server.mjs',
): Promise<ServerHandle<T>> {
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(root, 'bench', script), ...(kind ? [kind] : []), ...extraArgs],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = readline.createInterface({ input: child.stdout! });
  const info = await new Promise<T>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
    lines.once('line', (line) => resolve(JSON.parse(line) as T));
  });
  return {
    info,
    pid: child.pid!,
    stop: async () => {
      child.removeAllListeners('exit');
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** CPU time (user + system) a process has used, in microseconds, from /proc (Linux). */
export function cpuTimeUs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, fields 14 and 15 of stat(5), in clock ticks (USER_HZ, 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return null;
  }
}

export async function load(scenario: Scenario, seconds: number, connections: number): Promise<Sample> {
  const cpuBefore = scenario.pid ? cpuTimeUs(scenario.pid) : null;
  const startedAt = performance.now();
  const result = await autocannon({
    url: scenario.url,
    method: scenario.method,
    headers: scenario.headers,
    body: scenario.body,
    duration: seconds,
    connections,
    pipelining: 1,
  });
  const cpuAfter = scenario.pid ? cpuTimeUs(scenario.pid) : null;
  const wallUs = (performance.now() - startedAt) * 1000;
  const used = cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    cpuUs: used !== null && result.requests.total > 0 ? used / result.requests.total : null,
    busy: used !== null ? used / wallUs : null,
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function medianOrNull(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length === values.length && known.length > 0 ? median(known) : null;
}

/** Runs every scenario once per round, in turn, and returns the median of each measure. */
export async function alternate(
  scenarios: Scenario[],
  options: { rounds: number; seconds: number; connections: number; warmupSeconds?: number },
  onProgress: (message: string) => void = (m) => process.stderr.write(`${m}\n`),
): Promise<Map<string, Sample>> {
  for (const s of scenarios) await load(s, options.warmupSeconds ?? 1, options.connections);
  const samples = new Map<string, Sample[]>(scenarios.map((s) => [s.name, []]));
  for (let round = 1; round <= options.rounds; round++) {
    for (const s of scenarios) {
      const sample = await load(s, options.seconds, options.connections);
      if (sample.errors > 0 || sample.non2xx > 0) {
        throw new Error(
          `${s.name}: ${sample.errors} errors and ${sample.non2xx} non-2xx answers: the bench is not measuring success`,
        );
      }
      samples.get(s.name)!.push(sample);
      const cpu =
        sample.cpuUs !== null && sample.busy !== null
          ? `, server ${sample.cpuUs.toFixed(1)} us CPU/request, ${(sample.busy * 100).toFixed(0)}% busy`
          : '';
      onProgress(`round ${round}/${options.rounds} ${s.name}: ${Math.round(sample.rps)} req/s${cpu}`);
    }
  }
  const out = new Map<string, Sample>();
  for (const [name, list] of samples) {
    out.set(name, {
      rps: median(list.map((s) => s.rps)),
      p50: median(list.map((s) => s.p50)),
      p99: median(list.map((s) => s.p99)),
      errors: 0,
      non2xx: 0,
      cpuUs: medianOrNull(list.map((s) => s.cpuUs)),
      busy: medianOrNull(list.map((s) => s.busy)),
    });
  }
  return out;
}

/** Resident memory of a process, from /proc (Linux), in MB. */
export function rssMb(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? kb / 1024 : null;
  } catch {
    return null;
  }
}

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '),
    )
    .join('\n');
}

export function writeResult(name: string, data: unknown): string {
  const dir = path.join(root, 'bench/results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}
