// Builds, starts and stops the MongoDB-protocol servers the tests run on.
// Each launcher prints "READY <uri> <version>" once bound to a free port on
// 127.0.0.1 and exits when its stdin closes, so a dead test run cannot leave
// a server behind.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CACHE, ROOT } from './paths.js';

const run = promisify(execFile);

export interface RunningServer {
  readonly label: string;
  readonly uri: string;
  /** Version as the launcher reports it (FerretDB module version, jar version). */
  readonly version: string;
  /** Everything the server printed so far. */
  log(): string;
  stop(): Promise<void>;
  /** Ends the server at once with SIGKILL, as a crash would: no shutdown, data kept where it persists. */
  kill(): Promise<void>;
}

/** A server that would not start; the message carries its log. */
export class ServerStartError extends Error {
  constructor(
    readonly label: string,
    readonly serverLog: string,
    reason: string,
  ) {
    super(`${label} failed to start: ${reason}\n--- ${label} log ---\n${serverLog || '(empty)'}\n--- end of log ---`);
    this.name = 'ServerStartError';
  }
}

export interface StartOptions {
  extraArgs?: readonly string[];
  /** Keep data here (kept on stop) instead of a temporary directory. */
  dataDir?: string;
}

export interface ServerDefinition {
  readonly label: string;
  /** Builds (or finds in the cache) what `start` needs. */
  build(): Promise<void>;
  start(options?: StartOptions): Promise<RunningServer>;
}

function hashFiles(files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Spawns a launcher and waits for its READY line. */
function launch(label: string, command: string, args: readonly string[], timeoutMs = 60_000): Promise<RunningServer> {
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'djongoose-server-log-'));
  const logFile = path.join(logDir, `${label.replace(/\W+/g, '-')}.log`);
  const logStream = createWriteStream(logFile);
  let logText = '';
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  live.add(child);

  return new Promise<RunningServer>((resolve, reject) => {
    let ready = false;
    const append = (chunk: Buffer): void => {
      logText += chunk.toString();
      logStream.write(chunk);
    };
    const fail = (reason: string): void => {
      if (ready) return;
      ready = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      live.delete(child);
      reject(new ServerStartError(label, logText, `${reason} (log file ${logFile})`));
    };
    const timer = setTimeout(() => fail(`no READY line within ${timeoutMs} ms`), timeoutMs);

    child.stderr.on('data', append);
    child.stdout.on('data', (chunk: Buffer) => {
      append(chunk);
      const match = /^READY (\S+) (\S+)/m.exec(logText);
      if (match && !ready) {
        ready = true;
        clearTimeout(timer);
        const exited = new Promise<void>((done) => child.once('exit', () => done()));
        resolve({
          label,
          uri: match[1]!,
          version: match[2]!,
          log: () => logText,
          async stop() {
            if (child.exitCode === null && child.signalCode === null) {
              child.stdin.end();
              const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
              await exited;
              clearTimeout(killer);
            }
            live.delete(child);
            logStream.end();
          },
          async kill() {
            if (child.exitCode === null && child.signalCode === null) {
              child.kill('SIGKILL');
              await exited;
            }
            live.delete(child);
            logStream.end();
          },
        });
      }
    });
    child.on('error', (err) => fail(`could not run ${command}: ${err.message}`));
    child.on('exit', (code, signal) => fail(`exited with ${signal ?? `code ${String(code)}`} before it was ready`));
  });
}

function stampedBuild(dir: string, build: () => Promise<void>): Promise<void> {
  const stamp = path.join(dir, '.complete');
  if (existsSync(stamp)) return Promise.resolve();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return build().then(() => writeFileSync(stamp, new Date().toISOString()));
}

const FERRET_SRC = path.join(ROOT, 'test', 'servers', 'ferretdb');

/** FerretDB v1.24 on SQLite, run through its embeddable Go package. */
export function ferretdb(): ServerDefinition {
  const key = hashFiles(['go.mod', 'go.sum', 'main.go'].map((f) => path.join(FERRET_SRC, f)));
  const dir = path.join(CACHE, `ferretdb-${key}`);
  const binary = path.join(dir, 'ferretdb-launcher');
  return {
    label: 'FerretDB',
    build: () =>
      stampedBuild(dir, async () => {
        await run('go', ['build', '-trimpath', '-o', binary, '.'], {
          cwd: FERRET_SRC,
          env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly' },
          maxBuffer: 64 * 1024 * 1024,
        });
      }),
    start(options) {
      const dataDir = options?.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'djongoose-ferretdb-'));
      return launch('FerretDB', binary, ['-dir', dataDir, ...(options?.extraArgs ?? [])]).then((server) => ({
        ...server,
        async stop() {
          await server.stop();
          if (!options?.dataDir) rmSync(dataDir, { recursive: true, force: true });
        },
      }));
    },
  };
}

const MJS_SRC = path.join(ROOT, 'test', 'servers', 'mongo-java-server');

/** mongo-java-server's in-memory backend, launched with our wire-version shim. */
export function mongoJavaServer(): ServerDefinition {
  const key = hashFiles(['pom.xml', 'Launcher.java'].map((f) => path.join(MJS_SRC, f)));
  const dir = path.join(CACHE, `mongo-java-server-${key}`);
  const version = /<artifactId>mongo-java-server<\/artifactId>\s*<version>([^<]+)/.exec(
    readFileSync(path.join(MJS_SRC, 'pom.xml'), 'utf8'),
  )?.[1];
  const classpath = `${path.join(dir, 'classes')}${path.delimiter}${path.join(dir, 'lib', '*')}`;
  return {
    label: 'mongo-java-server',
    build: () =>
      stampedBuild(dir, async () => {
        await run(
          'mvn',
          [
            '-q',
            '-B',
            '-f',
            path.join(MJS_SRC, 'pom.xml'),
            'dependency:copy-dependencies',
            `-DoutputDirectory=${path.join(dir, 'lib')}`,
          ],
          { maxBuffer: 64 * 1024 * 1024 },
        );
        await run('javac', [
          '-d',
          path.join(dir, 'classes'),
          '-cp',
          path.join(dir, 'lib', '*'),
          path.join(MJS_SRC, 'Launcher.java'),
        ]);
      }),
    async start(options) {
      // Its date operators use the JVM's zone; the tests expect UTC.
      const server = await launch('mongo-java-server', 'java', [
        '-Duser.timezone=UTC',
        '-cp',
        classpath,
        'Launcher',
        ...(options?.extraArgs ?? []),
      ]);
      return { ...server, version: version ?? server.version };
    },
  };
}

/** A free TCP port on 127.0.0.1: nothing listens on it when the promise resolves. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** A real mongod from PATH or MONGOD_BIN, wrapped to print READY like the others. */
export function mongod(bin: string): ServerDefinition {
  return {
    label: 'MongoDB',
    build: async () => undefined,
    async start() {
      const port = await freePort();
      const dbpath = mkdtempSync(path.join(os.tmpdir(), 'djongoose-mongod-'));
      const script =
        `"$0" --dbpath "$1" --port "$2" --bind_ip 127.0.0.1 & pid=$!; ` +
        `for i in $(seq 1 300); do if (exec 3<>/dev/tcp/127.0.0.1/$2) 2>/dev/null; then echo "READY mongodb://127.0.0.1:$2/ $("$0" --version | head -1 | sed 's/.*v//')"; break; fi; sleep 0.1; done; ` +
        `cat > /dev/null; kill $pid; wait $pid`;
      const server = await launch('MongoDB', 'bash', ['-c', script, bin, dbpath, String(port)]);
      return {
        ...server,
        async stop() {
          await server.stop();
          rmSync(dbpath, { recursive: true, force: true });
        },
      };
    },
  };
}

/** Finds mongod: MONGOD_BIN, or `mongod` on PATH. */
export function findMongod(): string | undefined {
  if (process.env['MONGOD_BIN']) return process.env['MONGOD_BIN'];
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'mongod');
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}
