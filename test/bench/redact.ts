// redact() on hostile text of growing size, against the regex it replaced
// (which rescanned to the end of the text from every "mongodb://"). Linear
// work shows as a flat cost per character; the old regex's cost per character
// grows with the size. Prints numbers only.
//   node --import tsx test/bench/redact.ts
import { redact } from '../../core/secrets.js';
import { spread } from './measure.js';

// The masking regex before this change, kept here only as the baseline.
const OLD = /(mongodb(?:\+srv)?:\/\/[^:/@\s]+:)[^@\s]*@/g;
const old = (text: string): string => text.replace(OLD, '$1***@');

const SHAPES: Record<string, (size: number) => string> = {
  '"mongodb://a:" repeated, no @': (size) => 'mongodb://a:'.repeat(size / 12),
  'one URI, a long user information': (size) => `mongodb://u:${'p'.repeat(size)}@h/db`,
  'URIs split by spaces': (size) => 'mongodb://u:p@h '.repeat(size / 16),
};
/** Nanoseconds per character of `fn(text)`: the median of `rounds` calls, after one. */
function perChar(fn: (text: string) => string, text: string, rounds: number): number {
  fn(text);
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const started = process.hrtime.bigint();
    fn(text);
    samples.push(Number(process.hrtime.bigint() - started) / text.length);
  }
  return spread(samples).median;
}

const SIZES = [16_384, 65_536, 196_608, 1_048_576];
const OLD_LIMIT = 196_608; // past this the old regex takes seconds per call

console.log('ns per character (redact: median of 5 calls); flat down a column means linear');
for (const [name, make] of Object.entries(SHAPES)) {
  console.log(`\n${name}`);
  for (const size of SIZES) {
    const text = make(size);
    const ours = perChar((t) => redact(t, []), text, 5);
    const before = size <= OLD_LIMIT ? perChar(old, text, 1).toFixed(1) : '(skipped)';
    console.log(`  ${String(size).padStart(9)} chars: redact ${ours.toFixed(1)}, old regex ${before}`);
  }
}
