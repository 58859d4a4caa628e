// `npm run bench`: benchmarks, each side by side with its baseline in one run,
// printed as ratios (ours ÷ baseline). No targets yet for the Foundation; the
// query, counter and GridFS benchmarks join as their issues land.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../harness/paths.js';
import { resolveSettings } from '../../index.js';

const run = promisify(execFile);

function perCall(fn: () => void, iterations: number): number {
  for (let i = 0; i < 1000; i++) fn();
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  return Number(process.hrtime.bigint() - started) / iterations;
}

const seed = {
  ENGINE: 'djongo',
  NAME: 'blog',
  CLIENT: { host: 'localhost', port: 27017, username: 'u', password: 'p', authSource: 'admin' },
} as const;
const ns = perCall(() => resolveSettings(seed), 50_000);
console.log(`resolveSettings (seed dict): ${(ns / 1000).toFixed(2)} µs per call`);

const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const started = process.hrtime.bigint();
await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: ROOT });
console.log(`tsc --noEmit (whole project): ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(0)} ms`);
