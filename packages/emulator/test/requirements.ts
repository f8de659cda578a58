/**
 * What a test needs from the machine, found the same way everywhere: headless Chromium for the
 * browser tests (ZEMU_TEST_CHROMIUM, else /usr/bin/chromium). A missing browser skips, saying why.
 */
import { existsSync } from 'node:fs';

export function browserRequirement(): { executablePath: string } | { skip: string } {
  const executablePath = process.env.ZEMU_TEST_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath))
    return { skip: `no Chromium at ${executablePath}: install chromium or set ZEMU_TEST_CHROMIUM` };
  return { executablePath };
}
