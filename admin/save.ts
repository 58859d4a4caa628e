// One write of the admin's form to a document: the values set, then, when
// files were uploaded, the document validated without them (so that a form
// refused for another field stores no file), each file stored through its
// field's checks and assigned, and the document saved.
import type { Document, HydratedDocument } from 'mongoose';
import { assignValues } from './assign.js';
import type { PropertySpec } from './property.js';
import { PendingUpload } from './uploads.js';

type Row = Record<string, unknown>;

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
  const uploads = Object.entries(values).filter(
    (entry): entry is [string, PendingUpload] => entry[1] instanceof PendingUpload,
  );
  const plain = Object.fromEntries(Object.entries(values).filter(([, value]) => !(value instanceof PendingUpload)));
  assignValues(doc, specs, plain);
  if (uploads.length > 0) {
    await doc.validate({ pathsToSkip: uploads.map(([path]) => path) });
    for (const [path, upload] of uploads) doc.set(path, await upload.store(model, path, doc as unknown as Document));
  }
  await doc.save();
}
