// Which names a document's file paths were given, and by whom. A string can
// come from a request body, so a string that names a file already in the
// storage is refused when the document is validated: otherwise a crafted
// body could point a document at another user's file, and deleting or
// replacing that document (with deleteOrphans) would remove the victim's
// file. Code names stored files with references JSON cannot make
// (UploadedFile, ExistingFile, FieldFile); an upload's dimensions are put
// back on the document at validation, over any value a body set for them.
// Query updates and replacements get the same rule.
import type { Document, Query } from 'mongoose';
import { SuspiciousFileOperation } from '../core/errors.js';
import type { FilePath } from './file-path.js';
import type { UploadedFile } from './file-refs.js';
import { cleanPath } from './names.js';

interface Assignment {
  /** A plain string, to check against the storage. */
  readonly string?: string;
  /** An upload from the field-bound engine, whose dimensions the document must carry. */
  readonly upload?: UploadedFile;
}

function claimMessage(field: FilePath, name: string): string {
  return (
    `${field.path}: ${JSON.stringify(name)} names a file already stored in bucket ` +
    `${JSON.stringify(field.storage.collection)}, and a plain string (which a request can send) cannot claim ` +
    'a stored file. Assign the upload from the field-bound engine (req.file after ' +
    `multer({ storage: Model.fileUpload(${JSON.stringify(field.path)}) })), a FieldFile, existingFile(name) from ` +
    'code, or declare the path with { acceptStoredNames: true } if it is never set from request data.'
  );
}

const assigned = new WeakMap<Document, Map<string, Assignment>>();

function assignmentsOf(doc: Document): Map<string, Assignment> {
  let map = assigned.get(doc);
  if (!map) assigned.set(doc, (map = new Map()));
  return map;
}

/**
 * Forgets what was assigned to a path (a new assignment replaces it).
 *
 * @example
 * ```ts
 * forgetAssignment(doc, 'avatar');
 * ```
 */
export function forgetAssignment(doc: Document, path: string): void {
  assigned.get(doc)?.delete(path);
}

/**
 * Records that a path was given a plain string, checked at validation.
 *
 * @example
 * ```ts
 * noteStringName(doc, 'avatar', 'avatars/me.png');
 * ```
 */
export function noteStringName(doc: Document, path: string, name: string): void {
  assignmentsOf(doc).set(path, { string: name });
}

/**
 * Records that a path was given an engine upload.
 *
 * @example
 * ```ts
 * noteUpload(doc, 'avatar', uploadedFile(req.file));
 * ```
 */
export function noteUpload(doc: Document, path: string, upload: UploadedFile): void {
  assignmentsOf(doc).set(path, { upload });
}

/**
 * The pre-validate check: refuses a string naming a stored file (unless it
 * is the name the document was loaded with), and restores an upload's
 * dimensions.
 *
 * @example
 * ```ts
 * await checkAssignedNames(doc, filePaths(doc.schema), persistedNames);
 * ```
 */
export async function checkAssignedNames(
  doc: Document,
  fields: readonly FilePath[],
  persisted: ReadonlyMap<string, string> | undefined,
): Promise<void> {
  const map = assigned.get(doc);
  if (!map) return;
  for (const field of fields) {
    const entry = map.get(field.path);
    if (entry?.upload) field.setDimensions(doc, entry.upload.dimensions);
    const name = entry?.string;
    if (name === undefined || name === persisted?.get(field.path)) continue;
    if (doc.get(field.path, null, { getters: false }) !== name) continue;
    if (await field.storage.exists(name)) {
      throw new SuspiciousFileOperation(claimMessage(field, name), name);
    }
    map.delete(field.path); // checked: a name not stored yet stays this document's
  }
}

/**
 * Forgets every assignment once the document is saved.
 *
 * @example
 * ```ts
 * clearAssignments(doc);
 * ```
 */
export function clearAssignments(doc: Document): void {
  assigned.delete(doc);
}

/** The plain-string values an update or replacement gives to the file paths. */
function stringsInUpdate(update: unknown, paths: ReadonlySet<string>): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (values: unknown): void => {
    if (typeof values !== 'object' || values === null) return;
    for (const [key, value] of Object.entries(values)) {
      if (paths.has(key) && typeof value === 'string' && value !== '') found.set(key, value);
    }
  };
  for (const stage of Array.isArray(update) ? update : [update]) {
    if (typeof stage !== 'object' || stage === null) continue;
    visit(stage);
    for (const op of ['$set', '$setOnInsert', '$addFields', '$replaceWith'])
      visit((stage as Record<string, unknown>)[op]);
  }
  return found;
}

/**
 * The same rule for query updates and replacements (`updateOne(filter, req.body)`):
 * a plain string that names a stored file is refused unless every document
 * the query would change already holds that name (an upsert never does).
 *
 * @example
 * ```ts
 * await checkUpdateNames(query, filePaths(query.model.schema)); // in a pre('updateOne') hook
 * ```
 */
export async function checkUpdateNames(query: Query<unknown, unknown>, fields: readonly FilePath[]): Promise<void> {
  const checked = fields.filter((f) => !f.acceptStoredNames);
  if (checked.length === 0) return;
  const strings = stringsInUpdate(query.getUpdate(), new Set(checked.map((f) => f.path)));
  for (const field of checked) {
    const raw = strings.get(field.path);
    if (raw === undefined) continue;
    const name = cleanPath(raw);
    if (!(await field.storage.exists(name))) continue;
    const upsert = query.getOptions().upsert === true;
    const changes = await query.model.exists({ $and: [query.getFilter(), { [field.path]: { $ne: name } }] });
    if (!upsert && changes === null) continue;
    throw new SuspiciousFileOperation(claimMessage(field, name), name);
  }
}
