// A child process for the cache measurement (fresh heap, run with
// --expose-gc): compiles filters with 200,000 distinct user-chosen keys under
// a Mixed field, and thousands of distinct long string-lookup values, the way
// a public endpoint passing request data to filter() would. After every
// 10,000 filters it collects garbage and samples RSS: what the caches keep is
// what survives. Then 300 distinct 1 MiB values. Prints one JSON line with
// the figures.
//   node --import tsx --expose-gc test/helpers/cache-rss.ts
import { compileFilter } from '../../manager/filter.js';
import { entrySchema } from './models.js';

if (!global.gc) throw new Error('run with --expose-gc');
const collect: () => void = global.gc;
// V8 keeps recently built RegExps in its own compilation cache (up to ~50 MiB
// of 1 MiB patterns, measured with a bare `new RegExp` loop) until a second
// full collection: two, so that only what djongoose keeps is left.
const gc = (): void => {
  collect();
  collect();
};

const KEYS = Number(process.env['KEYS'] ?? '200000');
const HUGE = Number(process.env['HUGE'] ?? '300');
const scope = { schema: entrySchema(), modelName: 'Entry' };
const MiB = 1024 * 1024;
// Beyond this, the caches are plainly unbounded: stop rather than exhaust the machine.
const GIVE_UP_MIB = 512;

let compiled = 0;
let refused = 0;
function compile(filter: Record<string, unknown>): void {
  try {
    compileFilter(scope, filter);
    compiled++;
  } catch {
    refused++;
  }
}

// Shapes a hostile client picks: long keys, keys just under any cache's
// size limit, and keys spelling what JavaScript objects hold.
const long = 'k'.repeat(10_000);
const medium = 'm'.repeat(240);
const ODD = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'ünï', '\u2028', '$where'];
function key(i: number): string {
  switch (i % 4) {
    case 0:
      return `data__${long}${i}`;
    case 1:
      return `data__${medium}${i}`;
    case 2:
      return `data__k${i}__${ODD[i % ODD.length]}__v`;
    default:
      return `data__${i}`;
  }
}

// Values just under the regex cache's size limit: kept, so the byte bound counts.
const bigValue = 'y'.repeat(4000);
// A value as long as a request body allows: never kept.
const hugeValue = 'x'.repeat(MiB);

const REGEX_EVERY = 10;
/** Filters number `from` to `from + count`: each a new key, every tenth with a new 4 KB value. */
function round(from: number, count: number, each: (i: number) => void): void {
  for (let i = from; i < from + count && !aborted; i++) {
    const filter: Record<string, unknown> = { [key(i)]: 'v' };
    if (i % REGEX_EVERY === 0)
      filter[i % 20 === 0 ? 'headline__startswith' : 'headline__icontains'] = `${i}${bigValue}`;
    compile(filter);
    each(i);
  }
}

// The same mix first, so the baseline has the JIT warm, the heap sized and
// the caches full: what grows after it is what the caches fail to bound.
let aborted = false;
round(0, 10_000, () => undefined);
gc();
const baseline = process.memoryUsage();
let maxGrowth = 0;

function sample(): void {
  gc();
  const growth = (process.memoryUsage.rss() - baseline.rss) / MiB;
  maxGrowth = Math.max(maxGrowth, growth);
  if (growth > GIVE_UP_MIB) aborted = true;
  if (process.env['RSS_TRACE']) console.error(`rss +${growth.toFixed(0)} MiB`);
}

let started = performance.now();
compiled = refused = 0;
round(1e6, KEYS, (i) => {
  if (i % 10_000 === 9_999) sample();
});
sample();
const keySeconds = (performance.now() - started) / 1000;
const keysCompiled = compiled;

// 1 MiB values. V8's memory for parsing a pattern that long swings RSS by
// 50-200 MiB with no cache at all (a bare `new RegExp` loop does it too), so
// what the cache keeps is read from the V8 heap after collection; RSS is
// printed.
gc();
const beforeHuge = process.memoryUsage();
started = performance.now();
let maxHeapGrowth = 0;
for (let i = 0; i < HUGE && maxHeapGrowth < GIVE_UP_MIB; i++) {
  compile({ [i % 2 ? 'headline__startswith' : 'headline__iexact']: `${i}${hugeValue}` });
  if (i % 50 === 49) {
    gc();
    maxHeapGrowth = Math.max(maxHeapGrowth, (process.memoryUsage().heapUsed - beforeHuge.heapUsed) / MiB);
  }
}
gc();
const end = process.memoryUsage();
maxHeapGrowth = Math.max(maxHeapGrowth, (end.heapUsed - beforeHuge.heapUsed) / MiB);
console.log(
  JSON.stringify({
    keys: keysCompiled + refused,
    refusedKeys: refused,
    regexValues4KB: Math.ceil(KEYS / REGEX_EVERY),
    aborted,
    keySeconds,
    baselineRssMiB: baseline.rss / MiB,
    maxRssGrowthMiB: maxGrowth,
    hugeValues: HUGE,
    hugeSeconds: (performance.now() - started) / 1000,
    hugeMaxHeapGrowthMiB: maxHeapGrowth,
    hugeRssGrowthMiB: (end.rss - beforeHuge.rss) / MiB,
  }),
);
