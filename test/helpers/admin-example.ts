// The admin example (examples/admin/main.ts) as a child process on a free
// port, and a headless Debian chromium driven by playwright-core, for the
// browser tests. A missing chromium fails the test: it is never a skip.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser } from 'playwright-core';
import { ROOT } from '../harness/paths.js';

export const CHROMIUM = process.env['CHROMIUM_BIN'] ?? '/usr/bin/chromium';

/** The running example: its base URL, what it printed, and how to stop it. */
export interface RunningAdmin {
  readonly url: string;
  readonly stdout: readonly string[];
  readonly stderr: () => string;
  readonly stop: () => Promise<void>;
}

/**
 * Starts the example on `uri`/`dbName` with PORT=0 and resolves once it
 * printed its ready line; rejects with its output if it exits first.
 *
 * @example
 * ```ts
 * const admin = await startAdminExample(server.uri, dbName, { ADMIN_PASSWORD: 's3cret' });
 * await page.goto(`${admin.url}/login`);
 * ```
 */
export function startAdminExample(
  uri: string,
  dbName: string,
  env: Record<string, string> = {},
): Promise<RunningAdmin> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'examples/admin/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, MONGODB_URI: uri, EXAMPLE_DB_NAME: dbName, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the admin example did not get ready in 120 s; its stderr:\n${stderr}`));
    }, 120_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      stdout.push(line);
      const ready = /^Admin ready at (http:\/\/127\.0\.0\.1:\d+\/admin)$/.exec(line);
      if (!ready) return;
      clearTimeout(timer);
      resolve({ url: ready[1]!, stdout, stderr: () => stderr, stop });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the admin example exited (${code}) before it was ready; its stderr:\n${stderr}`));
    });
  });
}

/**
 * Debian's chromium, headless. Throws, naming what is missing, when chromium is not installed.
 *
 * @example
 * ```ts
 * const browser = await launchChromium();
 * ```
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The admin's browser tests need Debian's chromium at ${CHROMIUM} (apt-get install chromium, as .ci/run does; ` +
        'or set CHROMIUM_BIN).',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
}

/**
 * The folder the browser tests write their screenshots to, one per server
 * (test-output/ is gitignored; CI keeps it), emptied of an earlier run's.
 *
 * @example
 * ```ts
 * const dir = screenshotDir('ferretdb'); // <root>/test-output/admin-screenshots/ferretdb
 * ```
 */
export function screenshotDir(serverKind: string): string {
  const dir = path.join(ROOT, 'test-output', 'admin-screenshots', serverKind);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}
