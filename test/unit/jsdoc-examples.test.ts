// The public API's JSDoc `@example` blocks type-check as a user's code would,
// so they cannot drift from the signatures they show. Each block is its own
// module in ONE tsc program, over a shared prelude that declares, as globals,
// djongoose's exports and the names the examples use without defining them
// (the README's `Entry` model, `entrySchema`, `conn`, `storage`, …). A block a
// module defines shadows the global of the same name. ```ts no-check marks a
// deliberate fragment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../harness/paths.js';
import { typeCheckDir } from '../helpers/tsc.js';
import { jsdocExamples, publicModules, publicNames, type JsdocExample } from '../helpers/jsdoc-examples.js';
import { withSourceImports } from '../helpers/readme.js';

// Examples that show the API as it should be typed but does not compile yet,
// each for a typing gap in the API itself (issue 11 §5), not in the example:
// [file, the example's first characters]. Remove an entry when its gap closes.
const KNOWN_DRIFT: readonly (readonly [string, string])[] = [];

async function preludeOf(dir: string): Promise<string> {
  const source = (file: string): string => path.relative(dir, path.join(ROOT, file)).replace(/\.ts$/, '.js');
  const values = (await import('../../index.js')) as Record<string, unknown>;
  const cli = (await import('../../cli/api.js')) as Record<string, unknown>;
  const globals = [
    ...Object.keys(values).map((name) => `var ${name}: typeof dj.${name};`),
    ...Object.keys(cli)
      .filter((name) => !(name in values))
      .map((name) => `var ${name}: typeof cli.${name};`),
  ];
  return `import mongoose from 'mongoose';
import * as dj from '${source('index.ts')}';
import * as cli from '${source('cli/api.ts')}';
import type { Managed } from '${source('index.ts')}';

interface EntryShape {
  blog?: { name?: string; tagline?: string };
  headline?: string;
  body_text?: string;
  rating?: number;
  views?: number;
  tags?: string[];
  published?: boolean;
  pub_date?: Date;
  data: { label?: string; chart: Record<string, number> };
  likes?: number;
  status?: string;
  comments?: { author?: string; text?: string; score?: number }[];
  authors?: mongoose.Types.ObjectId[];
}

declare global {
  type EntryDoc = EntryShape;
  ${globals.join('\n  ')}
  type Entry = EntryShape;
  var Entry: Managed<EntryShape>;
  class PublishedManager extends dj.DjongoManager<EntryShape> {
    recent(): dj.QuerySet<EntryShape, mongoose.HydratedDocument<EntryShape>>;
  }
  var entrySchema: mongoose.Schema<EntryShape>;
  var schema: mongoose.Schema;
  var conn: mongoose.Connection;
  var DATABASES: Record<'default', dj.DjongoSettings>;
  var storage: dj.GridFSStorage;
  type Managed<T> = dj.Managed<T>;
  var mongoose: typeof import('mongoose').default;
  var Schema: typeof import('mongoose').Schema;
  var entry: mongoose.HydratedDocument<EntryShape>;
  var john: mongoose.HydratedDocument<{ name: string }>;
  var paul: typeof john;
  var ringo: typeof john;
  var app: import('express').Express;
  var req: import('express').Request;
  var res: import('express').Response;
  var err: dj.DjongooseError;
  type EntryRaw = EntryShape;
  var blogSchema: mongoose.Schema<{ name?: string; tagline?: string }>;
  var entries: dj.FilterSet<EntryShape>;
  interface ProfileDoc { user?: string; name?: string; avatar: dj.FieldFile; resume: dj.FieldFile }
  var Profile: Managed<ProfileDoc>;
  var profile: mongoose.HydratedDocument<ProfileDoc>;
  var rows: EntryShape[];
  var id1: number;
  var id2: number;
  var heyJude: mongoose.HydratedDocument<EntryShape>;
  var scope: never;
  var Author: Managed<{ name?: string; photo?: string | null; avatar?: string | null }> & dj.FileUploads<'avatar'>;
  var author: mongoose.HydratedDocument<{ name?: string; photo?: dj.FieldFile | null }>;
  var profileSchema: mongoose.Schema<{ user: string; avatar?: string | null }>;
  var upload: import('multer').Multer;
  var field: dj.FileField;
  var doc: mongoose.Document;
  var pngBytes: Buffer;
  var pdfBytes: Buffer;
  var fs: typeof import('node:fs');
  var http: typeof import('node:http');
  var multer: typeof import('multer');
}
export {};
`;
}

// Examples use djongoose's names without importing them: each gets an import
// of every public name it mentions and does not define or import itself.
const entries = [
  ['index.ts', publicNames(publicModules(['index.ts']))],
  ['cli/api.ts', publicNames(publicModules(['cli/api.ts']))],
] as const;

// The value exports; every other public name is a type.
const runtime = {
  ...((await import('../../index.js')) as Record<string, unknown>),
  ...((await import('../../cli/api.js')) as Record<string, unknown>),
};

function importsFor(code: string, dir: string): string {
  const taken = new Set<string>();
  const defines = (name: string): boolean =>
    new RegExp(
      `\\b(const|let|var|class|function|interface|type|import)\\s+${name}\\b|import\\s[^;]*\\b${name}\\b[^;]*from`,
    ).test(code);
  return entries
    .map(([file, names]) => {
      const used = [...names].filter(
        (name) => !taken.has(name) && new RegExp(`(?<![.\\w$])${name}\\b`).test(code) && !defines(name),
      );
      used.forEach((name) => taken.add(name));
      const from = path.relative(dir, path.join(ROOT, file)).replace(/\.ts$/, '.js');
      const spelled = used.map((name) => (name in runtime ? name : `type ${name}`));
      return used.length ? `import { ${spelled.join(', ')} } from '${from}';` : '';
    })
    .join('\n');
}

test('every JSDoc @example of the public API type-checks', async () => {
  const examples = jsdocExamples();
  const drifted = (e: JsdocExample): boolean =>
    KNOWN_DRIFT.some(([file, start]) => e.file === file && e.code.trimStart().startsWith(start));
  const checked = examples.filter((e) => e.checked && !drifted(e));
  for (const [file, start] of KNOWN_DRIFT) {
    assert.ok(
      examples.some((e) => e.file === file && e.code.trimStart().startsWith(start)),
      `KNOWN_DRIFT names no example: ${file} ${start}`,
    );
  }
  assert.ok(checked.length > 100, `found ${checked.length} checked examples`);
  const dir = path.join(ROOT, '.cache', 'jsdoc-examples', String(process.pid));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'prelude.ts'), await preludeOf(dir));
  const names = checked.map((e, i) => {
    const name = `${e.file.replace(/[/.]/g, '_')}_${e.line}_${i}.ts`;
    const code = withSourceImports(e.code, (file) => path.relative(dir, file).replace(/\.ts$/, '.js'));
    writeFileSync(path.join(dir, name), `${importsFor(code, dir)}\n${code}\nexport {};\n`);
    return name;
  });
  const output = await typeCheckDir(dir, ['./*.ts'], { noUnusedLocals: false, skipLibCheck: true });
  // Name each failure by the source file and line of its @example.
  const located = output.replace(/^(\S+?_(\d+)_(\d+)\.ts)\((\d+),\d+\)/gm, (_m, _f, _l, i: string, row: string) => {
    const e = checked[Number(i)]!;
    return `${e.file}:${e.line} (example line ${row})`;
  });
  console.log(
    `${checked.length} examples checked, ${examples.filter((e) => !e.checked).length} marked no-check, ` +
      `${examples.filter(drifted).length} known to drift`,
  );
  assert.equal(located, '', `@example blocks that do not compile:\n${located}`);
  assert.equal(names.length, checked.length);
});
