// `npm test`: unit tests once, then the end-to-end suite against every server
// of the run, one after the other.
//   1. MONGODB_URI set: that server only.
//   2. otherwise FerretDB and mongo-java-server, plus mongod from MONGOD_BIN or PATH.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './harness/paths.js';
import { ferretdb, findMongod, mongod, mongoJavaServer, type ServerDefinition } from './harness/servers.js';
import { identifyServer } from './harness/identify.js';
import { formatPeerTally, readPeerTally, tallyPeerRecords } from './harness/peer-tally.js';

interface Failure {
  file: string;
  name: string;
  message: string;
}
interface Totals {
  pass: number;
  fail: number;
  skipped: number;
  failures: Failure[];
}

function testFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, 'test', dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => path.join('test', dir, f))
    .sort();
}

function runNodeTest(files: readonly string[], env: Record<string, string>): Promise<Totals> {
  const summaryFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'djongoose-summary-')), 'totals.json');
  const args = [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${path.join(ROOT, 'test', 'harness', 'summary-reporter.mjs')}`,
    `--test-reporter-destination=${summaryFile}`,
    ...files,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('error', reject);
    child.on('exit', (code) => {
      try {
        const totals = JSON.parse(readFileSync(summaryFile, 'utf8')) as Partial<
          Record<'pass' | 'fail' | 'cancelled' | 'skipped' | 'todo', number>
        > & { failures?: Failure[] };
        resolve({
          pass: totals.pass ?? 0,
          fail: (totals.fail ?? 0) + (totals.cancelled ?? 0),
          skipped: (totals.skipped ?? 0) + (totals.todo ?? 0),
          failures: totals.failures ?? [],
        });
      } catch {
        resolve({
          pass: 0,
          fail: Math.max(1, code ?? 1),
          skipped: 0,
          failures: [{ file: '', name: `the test runner (exit ${code})`, message: 'no totals were written' }],
        });
      }
    });
  });
}

// The ported peer suites' tally, per server: `passed / applicable` per source.
const peerLines: string[] = [];
function peerTallyFile(): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'djongoose-peer-')), 'tally.jsonl');
}
function recordPeers(label: string, file: string): void {
  const lines = formatPeerTally(tallyPeerRecords(readPeerTally(file)));
  if (lines.length === 0) return;
  peerLines.push(`${label}:`, ...lines.map((l) => `  ${l}`));
}

const line = (label: string, t: Totals): string => `${label}: ${t.pass} passed, ${t.fail} failed, ${t.skipped} skipped`;
const results: string[] = [];
const grand = { pass: 0, fail: 0, skipped: 0 };
// Every failed test of the run, named again at the very end of the output,
// where a CI log that keeps only its tail still shows them.
const failed: string[] = [];
function record(label: string, totals: Totals): void {
  results.push(line(label, totals));
  for (const f of totals.failures) {
    const file = f.file === '' ? '' : `${path.relative(ROOT, f.file.replace(/^file:\/\//, ''))} › `;
    failed.push(`✖ ${label}: ${file}${f.name}: ${f.message}`);
  }
  grand.pass += totals.pass;
  grand.fail += totals.fail;
  grand.skipped += totals.skipped;
}

const only = process.argv.slice(2);
const pick = (files: string[]): string[] =>
  only.length === 0 ? files : files.filter((f) => only.some((o) => f.includes(o)));

const unitFiles = pick(testFiles('unit'));
if (unitFiles.length > 0) {
  console.log('\n=== unit tests (no server) ===');
  record('unit tests', await runNodeTest(unitFiles, {}));
}

const e2eFiles = pick([...testFiles('e2e'), ...testFiles('peer'), ...testFiles('interop')]);
const uri = process.env['MONGODB_URI'];
if (e2eFiles.length > 0 && uri) {
  const identity = await identifyServer(uri);
  const label = `${identity.name} ${identity.ferretdbVersion ?? identity.mongodbVersion} (MONGODB_URI)`;
  console.log(`\n=== ${label} ===`);
  const tally = peerTallyFile();
  record(
    label,
    await runNodeTest(e2eFiles, {
      DJONGOOSE_TEST_URI: uri,
      DJONGOOSE_TEST_SERVER: identity.kind,
      DJONGOOSE_PEER_TALLY: tally,
    }),
  );
  recordPeers(label, tally);
} else if (e2eFiles.length > 0) {
  const servers: ServerDefinition[] = [ferretdb(), mongoJavaServer()];
  const mongodBin = findMongod();
  if (mongodBin) servers.push(mongod(mongodBin));
  for (const definition of servers) {
    await definition.build();
    const server = await definition.start();
    const identity = await identifyServer(server.uri);
    const label = `${identity.name} ${server.version} (MongoDB ${identity.mongodbVersion} protocol)`;
    console.log(`\n=== ${label} at ${server.uri} ===`);
    const tally = peerTallyFile();
    try {
      record(
        label,
        await runNodeTest(e2eFiles, {
          DJONGOOSE_TEST_URI: server.uri,
          DJONGOOSE_TEST_SERVER: identity.kind,
          DJONGOOSE_TEST_SERVER_VERSION: server.version,
          DJONGOOSE_PEER_TALLY: tally,
        }),
      );
      recordPeers(label, tally);
    } finally {
      await server.stop();
    }
  }
}

if (peerLines.length > 0) {
  console.log('\n=== peer suites (test/peer): passed / applicable ===');
  for (const l of peerLines) console.log(l);
}
console.log('\n=== summary ===');
for (const r of results) console.log(r);
console.log(`total: ${grand.pass} passed, ${grand.fail} failed, ${grand.skipped} skipped`);
if (failed.length > 0) {
  console.log('\n=== failed tests ===');
  for (const f of failed) console.log(f);
}
process.exit(grand.fail > 0 || results.length === 0 ? 1 : 0);
