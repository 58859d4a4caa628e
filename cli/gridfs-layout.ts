// `djongoose gridfs-layout`: moves a GridFSStorage's files from one layout
// to the other (storage/layout.ts). Files at the top level are stored alike
// in both and stay; each file in a directory moves by storage/move-file.ts,
// so a run can stop anywhere and the next one finishes it, and a second run
// has nothing to do. A file that cannot move (its name is taken, or the
// target layout refuses it) stays where it is and is reported.
import type { Connection } from 'mongoose';
import { ImproperlyConfigured, SuspiciousFileOperation } from '../core/errors.js';
import { ensureNameIndex, type FilesDocument } from '../storage/bucket.js';
import { checkNamespace, nameOf, placeOf, type GridFSLayout, type StoredPlace } from '../storage/layout.js';
import { collectionNames, subBuckets } from '../storage/layout-detect.js';
import { moveFile, planMove } from '../storage/move-file.js';
import { cleanPath } from '../storage/names.js';
import { databaseOf } from './models.js';

/** Options for {@link moveGridFSLayout}. */
export interface GridFSLayoutOptions {
  /** The storage's `collection` (its top-level bucket). */
  readonly collection: string;
  /** The layout to move the files into. */
  readonly to: GridFSLayout;
  /** Report what would move and write nothing. */
  readonly dryRun?: boolean;
  /** Called after each file, for a progress bar. */
  readonly onProgress?: (progress: { readonly done: number; readonly total: number }) => void;
}

/** A file left where it was, and why. */
export interface SkippedFile {
  readonly name: string;
  readonly bucket: string;
  readonly reason: string;
}

/** What {@link moveGridFSLayout} moved (or, on a dry run, would move). */
export interface GridFSLayoutReport {
  readonly collection: string;
  readonly to: GridFSLayout;
  readonly dryRun: boolean;
  /** Files moved by this run. */
  readonly moved: number;
  /** Files an interrupted earlier run had copied, whose source this run removed. */
  readonly resumed: number;
  readonly skipped: readonly SkippedFile[];
  /** Sub-buckets left empty by a move to the flat layout, and dropped. */
  readonly droppedBuckets: readonly string[];
}

interface Source {
  readonly bucket: string;
  readonly filter: Record<string, unknown>;
}

function sources(names: readonly string[], collection: string, to: GridFSLayout): Source[] {
  // Into djongo's layout: the names with a directory. Into the flat layout: every sub-bucket's files.
  if (to === 'djongo') return [{ bucket: collection, filter: { filename: { $regex: '/' } } }];
  return subBuckets(names, collection).map((bucket) => ({ bucket, filter: {} }));
}

function targetOf(collection: string, to: GridFSLayout, from: StoredPlace, database: string): StoredPlace {
  const name = nameOf(to === 'djongo' ? 'flat' : 'djongo', collection, '', from);
  if (cleanPath(name) !== name) {
    throw new SuspiciousFileOperation(`the name ${JSON.stringify(name)} is not a clean storage path`, name);
  }
  const target = placeOf(to, collection, '', name);
  if (target.bucket !== collection) checkNamespace(database, target.bucket, name);
  return target;
}

/**
 * Moves the files of the GridFSStorage over `collection` into the layout
 * `to`, never losing one: idempotent and resumable. Stop the writers (or
 * give them an explicit `layout`) while it runs: a storage left on
 * `layout: 'auto'` refuses a bucket that holds both layouts.
 *
 * @example
 * ```ts
 * import { moveGridFSLayout } from 'djongoose/cli';
 * const report = await moveGridFSLayout(conn, { collection: 'myfiles', to: 'djongo' });
 * report.moved; // 12
 * report.skipped; // [{ name: 'v1.2/notes.txt', bucket: 'myfiles', reason: '… "." separates buckets …' }]
 * ```
 */
export async function moveGridFSLayout(conn: Connection, options: GridFSLayoutOptions): Promise<GridFSLayoutReport> {
  const { collection, to, dryRun = false, onProgress } = options;
  if (to !== 'djongo' && to !== 'flat') {
    throw new ImproperlyConfigured(`gridfs-layout: --to must be 'djongo' or 'flat', got ${JSON.stringify(to)}.`);
  }
  const db = databaseOf(conn);
  const names = await collectionNames(db);
  const from = sources(names, collection, to);
  let total = 0;
  for (const { bucket, filter } of from) total += await db.collection(`${bucket}.files`).countDocuments(filter);
  const skipped: SkippedFile[] = [];
  const indexed = new Set<string>();
  let [moved, resumed, done] = [0, 0, 0];
  for (const { bucket, filter } of from) {
    // Newest first: of a name's revisions (djongo keeps them) the newest moves, the older are reported.
    const cursor = db
      .collection<FilesDocument>(`${bucket}.files`)
      .find(filter)
      .sort({ filename: 1, uploadDate: -1 })
      .batchSize(100);
    for await (const doc of cursor) {
      const name = nameOf(to === 'djongo' ? 'flat' : 'djongo', collection, '', { bucket, filename: doc.filename });
      let target: StoredPlace;
      try {
        target = targetOf(collection, to, { bucket, filename: doc.filename }, db.databaseName);
      } catch (err) {
        if (!(err instanceof SuspiciousFileOperation)) throw err;
        skipped.push({ name, bucket, reason: err.message });
        onProgress?.({ done: ++done, total });
        continue;
      }
      if (!dryRun && !indexed.has(target.bucket)) {
        await ensureNameIndex(db.collection(`${target.bucket}.files`), target.bucket);
        indexed.add(target.bucket);
      }
      const outcome = dryRun
        ? await planMove(db, doc, target.bucket, target.filename)
        : await moveFile(db, bucket, doc, target.bucket, target.filename);
      if (outcome.kind === 'moved') moved++;
      else if (outcome.kind === 'resumed') resumed++;
      else skipped.push({ name, bucket, reason: outcome.reason });
      onProgress?.({ done: ++done, total });
    }
  }
  const droppedBuckets: string[] = [];
  if (to === 'flat' && !dryRun) {
    for (const { bucket } of from) {
      const empty =
        (await db.collection(`${bucket}.files`).countDocuments({}, { limit: 1 })) === 0 &&
        (await db.collection(`${bucket}.chunks`).countDocuments({}, { limit: 1 })) === 0;
      if (!empty) continue;
      for (const suffix of ['files', 'chunks']) {
        if (names.includes(`${bucket}.${suffix}`)) await db.collection(`${bucket}.${suffix}`).drop();
      }
      droppedBuckets.push(bucket);
    }
  }
  return { collection, to, dryRun, moved, resumed, skipped, droppedBuckets };
}

/**
 * The report as lines for a terminal.
 *
 * @example
 * ```ts
 * const report = await moveGridFSLayout(conn, { collection: 'myfiles', to: 'djongo' });
 * formatGridFSLayout(report); // 'Moved 12 files of "myfiles" into the djongo layout.'
 * ```
 */
export function formatGridFSLayout(report: GridFSLayoutReport): string {
  const lines = report.skipped.map((s) => `skipped ${JSON.stringify(s.name)} (bucket ${s.bucket}): ${s.reason}`);
  for (const bucket of report.droppedBuckets) lines.push(`dropped the empty bucket ${bucket}`);
  const files = (n: number): string => `${n} file${n === 1 ? '' : 's'}`;
  const where = `of ${JSON.stringify(report.collection)} into the ${report.to} layout`;
  lines.push(
    report.dryRun
      ? `Dry run: would move ${files(report.moved + report.resumed)} ${where}; nothing was written.`
      : report.moved + report.resumed === 0
        ? `Nothing to move: the files of ${JSON.stringify(report.collection)} are in the ${report.to} layout` +
          `${report.skipped.length ? ', but for those skipped' : ''}.`
        : `Moved ${files(report.moved)} ${where}${report.resumed ? ` (and finished ${files(report.resumed)} an earlier run had copied)` : ''}.`,
  );
  return lines.join('\n');
}
