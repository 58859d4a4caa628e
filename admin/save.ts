// One write of the admin's form to a document: the values set, then, when
// files were uploaded, the document validated without them (so that a form
// refused for another field stores no file), each file stored through its
// field's checks and assigned, and the document saved.
import type { Document, HydratedDocument } from 'mongoose';
import { assignValues } from './assign.js';
import type { PropertySpec } from './property.js';
import { PendingUpload } from './uploads.js';
import { isPlainObject } from '../core/values.js';

type Row = Record<string, unknown>;

/**
 * The values without their pending uploads, and the uploads by dotted path
 * (`avatar`, `blog.logo` inside an embedded document).
 *
 * @example
 * ```ts
 * splitUploads({ name: 'Ann', blog: { name: 'B', logo: pending } }); // [{ name: 'Ann', blog: { name: 'B' } }, [['blog.logo', pending]]]
 * ```
 */
export function splitUploads(
  values: Row,
  prefix = '',
  uploads: [string, PendingUpload][] = [],
): [Row, [string, PendingUpload][]] {
  const plain: Row = {};
  for (const [key, value] of Object.entries(values)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value instanceof PendingUpload) uploads.push([path, value]);
    else if (isPlainObject(value)) plain[key] = splitUploads(value, path, uploads)[0];
    else plain[key] = value;
  }
  return [plain, uploads];
}

/**
 * Sets `values` on `doc`, stores its uploads, and saves it.
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
  const [plain, uploads] = splitUploads(values);
  assignValues(doc, specs, plain);
  if (uploads.length > 0) {
    await doc.validate({ pathsToSkip: uploads.map(([path]) => path) });
    for (const [path, upload] of uploads) doc.set(path, await upload.store(model, path, doc as unknown as Document));
  }
  await doc.save();
}
