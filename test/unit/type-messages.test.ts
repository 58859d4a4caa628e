// A wrong key fails to compile with a message that names it and the closest
// valid name, as the runtime FieldError does: tsc runs on a small user file
// and the test reads its diagnostics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../harness/paths.js';
import { typeCheckDir } from '../helpers/tsc.js';

// Each line is one mistake a user makes; the second item, what tsc must say about it.
const CASES: readonly (readonly [string, string])[] = [
  [
    `Entry.objects.filter({ headlin__startswith: 'x' });`,
    `Cannot resolve keyword 'headlin' into field. Did you mean 'headline'?`,
  ],
  [
    `Entry.objects.filter({ rating: 1 }, { blog__nme: 'x' });`,
    `Cannot resolve keyword 'nme' into field of 'blog'. Did you mean 'name'?`,
  ],
  [
    `Entry.objects.filter({ headline__startwith: 'x' });`,
    `Unsupported lookup 'startwith' for field 'headline'. Did you mean 'startswith'?`,
  ],
  [
    `Entry.objects.exclude({ comments__scroe__gt: 1 });`,
    `Cannot resolve keyword 'scroe' into field of 'comments'. Did you mean 'score'?`,
  ],
  [`EQ({ ratng__gte: 4 });`, `Cannot resolve keyword 'ratng' into field. Did you mean 'rating'?`],
  [`Entry.objects.orderBy('-pub_dat');`, `Cannot resolve keyword 'pub_dat' into field. Did you mean 'pub_date'?`],
  [`Entry.objects.values('Headline');`, `Cannot resolve keyword 'Headline' into field. Did you mean 'headline'?`],
  [
    `Entry.objects.valuesList('veiws', { flat: true });`,
    `Cannot resolve keyword 'veiws' into field. Did you mean 'views'?`,
  ],
  [`void Entry.objects.distinct('tag');`, `Cannot resolve keyword 'tag' into field. Did you mean 'tags'?`],
  [
    `void Entry.objects.all().update({ inc__veiws: 1 });`,
    `Cannot resolve keyword 'veiws' into field. Did you mean 'views'?`,
  ],
  [
    `void Entry.objects.getOrCreate({ headline: 'x' }, { ratin: 5 });`,
    `Cannot resolve keyword 'ratin' into field. Did you mean 'rating'?`,
  ],
  [
    `void Entry.objects.aggregate({ t: Sum('likez') });`,
    `Cannot resolve keyword 'likez' into field. Did you mean 'likes'?`,
  ],
  [
    `void Entry.objects.inBulk([], { fieldName: 'headlines' });`,
    `Cannot resolve keyword 'headlines' into field. Did you mean 'headline'?`,
  ],
  // Nothing near: the message names the key alone.
  [`Entry.objects.filter({ zzz: 1 });`, `Cannot resolve keyword 'zzz' into field."'`],
];

test('a wrong key fails to compile with a message naming it and the closest valid name', async () => {
  const dir = path.join(ROOT, '.cache', 'type-messages', String(process.pid));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const from = (file: string): string => path.relative(dir, path.join(ROOT, file)).replace(/\.ts$/, '.js');
  const lines = [
    `import mongoose from 'mongoose';`,
    `import { Q, Sum, type TypedQ } from '${from('index.ts')}';`,
    `import { entryModel, type EntryRaw } from '${from('test/helpers/models.ts')}';`,
    `const Entry = entryModel(mongoose.connection);`,
    `const EQ: TypedQ<EntryRaw> = Q;`,
    ...CASES.map(([code]) => code),
    `export {};`,
  ];
  const first = lines.length - CASES.length; // the 1-based line of CASES[0] is first
  writeFileSync(path.join(dir, 'user.ts'), lines.join('\n'));
  const output = await typeCheckDir(dir, ['./user.ts']);
  // A diagnostic with its elaboration: the indented lines tsc prints under it
  // (for an overloaded method, "Overload 1 of 2 … gave the following error").
  const all = output.split('\n');
  CASES.forEach(([code, message], i) => {
    const line = first + i;
    const starts = all.flatMap((l, at) =>
      l.startsWith(`user.ts(${line},`) || l.includes(`/user.ts(${line},`) ? [at] : [],
    );
    assert.equal(starts.length, 1, `one error for ${code}, got:\n${output}`);
    const at = starts[0]!;
    const end = all.findIndex((l, j) => j > at && !/^\s/.test(l));
    const diagnostic = all.slice(at, end === -1 ? undefined : end).join('\n');
    assert.ok(diagnostic.includes(message), `${code}\n  expected: ${message}\n  got: ${diagnostic}`);
  });
});
