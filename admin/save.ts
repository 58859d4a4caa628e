// One write of the admin's form to a document: the values set, then, when
// files were uploaded, the document validated without them (so that a form
// refused for another field stores no file), each file stored through its
// field's checks and assigned, and the document saved.
import type { Document, HydratedDocument } from 'mongoose';
import { assignValues } from './assign.js';
import type { PropertySpec } from './property.js';
import { existingFile } from '../storage/file-refs.js';
import { FileName, PendingUpload } from './uploads.js';
import { isPlainObject } from '../core/values.js';

type Row = Record<string, unknown>;

// The values with each pending upload, at any depth of embedded documents
// and their lists, replaced by `swap(path, upload)` (dropped when undefined).
function mapUploads(
  value: unknown,
  path: string,
  swap: (path: string, upload: PendingUpload) => unknown,
  named: (name: FileName, path: string) => unknown,
): unknown {
  if (value instanceof PendingUpload) return swap(path, value);
  if (value instanceof FileName) return named(value, path);
  if (Array.isArray(value)) return value.map((item: unknown, i) => mapUploads(item, `${path}.${i}`, swap, named));
  if (!isPlainObject(value)) return value;
  const out: Row = {};
  for (const [key, item] of Object.entries(value)) {
    const mapped = mapUploads(item, path ? `${path}.${key}` : key, swap, named);
    if (mapped !== undefined) out[key] = mapped;
  }
  return out;
}

/**
 * The values without their pending uploads, and the uploads by dotted path
 * (`avatar`, `blog.logo` inside an embedded document, `slides.1.image` in an
 * item of a list of them).
 *
 * @example
 * ```ts
 * splitUploads({ name: 'Ann', blog: { name: 'B', logo: pending } }); // [{ name: 'Ann', blog: { name: 'B' } }, [['blog.logo', pending]]]
 * ```
 */
export function splitUploads(
  values: Row,
  named: (name: FileName, path: string) => unknown = (file) => file.name,
): [Row, [string, PendingUpload][]] {
  const uploads: [string, PendingUpload][] = [];
  const plain = mapUploads(values, '', (path, upload) => void uploads.push([path, upload]), named) as Row;
  return [plain, uploads];
}

// Every value a plain document holds at a path, through its lists (`slides.image`).
function heldAt(value: unknown, parts: readonly string[]): unknown[] {
  if (Array.isArray(value)) return value.flatMap((item: unknown) => heldAt(item, parts));
  const [first, ...rest] = parts;
  if (first === undefined) return [value];
  return isPlainObject(value) ? heldAt(value[first], rest) : [];
}

// A name sent back for a file field: vouched for when the document holds it in that field.
function vouch(held: Row): (file: FileName, path: string) => unknown {
  return (file, path) => {
    const parts = path.split('.').filter((part) => !/^\d+$/.test(part));
    return heldAt(held, parts).includes(file.name) ? existingFile(file.name) : file.name;
  };
}

/**
 * Sets `values` on `doc`, stores its uploads, and saves it. The values are
 * set again with the stored files in place: a list of embedded documents is
 * replaced whole, so its items are built with their files.
 *
 * @example
 * ```ts
 * await saveForm(Author, new Author(), specs, { name: 'Ann', avatar: pending }); // avatar stored, then saved
 * ```
 */
export async function saveForm(
  model: Parameters<PendingUpload['store']>[0],
  doc: HydratedDocument<Row>,
  specs: readonly PropertySpec[],
  values: Row,
): Promise<void> {
  const named = vouch(doc.toObject({ depopulate: true, getters: false, virtuals: false }) as Row);
  const [plain, uploads] = splitUploads(values, named);
  assignValues(doc, specs, plain);
  if (uploads.length > 0) {
    await doc.validate({ pathsToSkip: uploads.map(([path]) => path) });
    const stored = new Map<string, unknown>();
    for (const [path, upload] of uploads) stored.set(path, await upload.store(model, path, doc as unknown as Document));
    assignValues(doc, specs, mapUploads(values, '', (path) => stored.get(path), named) as Row);
  }
  await doc.save();
}
