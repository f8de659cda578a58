import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** `zemu serve` as a person runs it: banner, curl pair pasted into a shell, Ctrl-C. */
describe('zemu serve', () => {
  test('prints a banner whose curl pair works as printed, and stops cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=zemu-source',
        '--import',
        'tsx',
        'packages/emulator/src/cli/main.ts',
        'serve',
        '--memory',
        '--port',
        '0',
        '--log-level',
        'warn',
      ],
      { cwd: root, env: { ...process.env, ZEMU_PORT: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    while (!out.includes('Ctrl-C')) {
      const [exited] = await Promise.race([once(child.stdout, 'data'), once(child, 'exit')]);
      if (typeof exited === 'number') assert.fail(`zemu exited early: ${out}`);
    }
    try {
      assert.match(out, /account_id +\S+/);
      assert.match(out, /client_secret +[A-Za-z0-9]{32}/);
      // The console link opens the console.
      const link = /Console +(http\S+\/_zemu\/console)/.exec(out)?.[1];
      assert.ok(link, 'the banner prints the console link');
      const consolePage = await fetch(link);
      assert.equal(consolePage.status, 200);
      assert.match(await consolePage.text(), /<title>Zemu console<\/title>/);
      const pair = out.slice(out.indexOf('Try it:') + 'Try it:'.length, out.indexOf('Ctrl-C'));
      const shell = spawn('bash', ['-c', pair], { stdio: ['ignore', 'pipe', 'pipe'] });
      let answer = '';
      shell.stdout.on('data', (d) => {
        answer += d;
      });
      const [code] = await once(shell, 'exit');
      assert.equal(code, 0);
      const body = JSON.parse(answer);
      assert.match(body.token, /^eyJ/, `the curl pair prints {"token": ...}: ${answer}`);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await once(child, 'exit');
    assert.equal(code, 0, 'clean exit on SIGTERM');
  });

  test('a taken port is explained, with what to do', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const port = (blocker.address() as { port: number }).port;
    const child = spawn(
      process.execPath,
      [
        '--conditions=zemu-source',
        '--import',
        'tsx',
        'packages/emulator/src/cli/main.ts',
        'serve',
        '--memory',
        '--port',
        String(port),
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    const [code] = await once(child, 'exit');
    blocker.close();
    assert.equal(code, 1);
    assert.match(err, /cannot start: .*EADDRINUSE.*--port or ZEMU_PORT/);
  });
});
