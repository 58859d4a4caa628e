// F assigned to a document's field, then saved: Django's
// `entry.views = F('views') + 1; entry.save()`. The assignment keeps the F
// aside (a setter, so that Mongoose's cast and validators never see it) and
// leaves the field as it was; save() sends it as one atomic update of that
// document ($inc/$mul for the field's own arithmetic, as update() does), then
// reads the field back, so that after save the document holds the stored
// value, not the expression (Django keeps the F until refresh_from_db).
import type { Document, Model, Schema, SchemaType } from 'mongoose';
import { FieldError, DoesNotExist } from '../core/errors.js';
import { FExpression } from '../manager/q.js';
import { QuerySet } from '../manager/queryset.js';

// Per document, the F assigned to each path since its last save: a side
// table, as Mongoose's own plugins keep per-document state.
const pending = new WeakMap<Document, Map<string, FExpression>>();
const applied = new WeakSet<Schema>();

// Scalars only: an F is a number or text computed on the server, never an
// array or a subdocument; _id and the version key are not the user's to compute.
const SKIPPED = new Set(['Array', 'Embedded', 'Mixed', 'Map']);

function isRootDocument(value: unknown): value is Document {
  const doc = value as Partial<Document> | null;
  if (typeof doc?.$parent !== 'function') return false;
  // A root document is its own parent (Mongoose 9), or has none; a subdocument has another.
  const parent = doc.$parent();
  return parent === undefined || parent === doc;
}

function keepF(this: unknown, value: unknown, prior: unknown, type: SchemaType): unknown {
  if (!isRootDocument(this)) return value;
  if (value instanceof FExpression) {
    let forDoc = pending.get(this);
    if (!forDoc) pending.set(this, (forDoc = new Map()));
    forDoc.set(type.path, value);
    return prior;
  }
  // A plain value assigned after an F replaces it, as in Django.
  pending.get(this)?.delete(type.path);
  return value;
}

async function applyPendingF(this: Document): Promise<void> {
  const forDoc = pending.get(this);
  if (!forDoc || forDoc.size === 0) return;
  const model = this.constructor as Model<Record<string, unknown>>;
  const paths = [...forDoc.keys()];
  if (this.isNew) {
    throw new FieldError(
      `${model.modelName}.${paths.join(', ')}: F() on a new document cannot be inserted; F() expressions ` +
        'only update a saved document. Give a value to create it, then assign F() and save again.',
    );
  }
  const changes = Object.fromEntries([...forDoc].map(([path, f]) => [path.replaceAll('.', '__'), f]));
  pending.delete(this);
  const matched = await new QuerySet(model).filter({ _id: this._id }).update(changes);
  const stored = matched === 0 ? null : await model.findById(this._id, paths.join(' ')).lean();
  if (!stored) {
    throw new DoesNotExist(
      `${model.modelName} ${String(this._id)} was not found to apply F() to ${paths.join(', ')}; ` +
        'F() updates a document that exists: reload it (or create it) before saving.',
    );
  }
  for (const path of paths) {
    this.set(
      path,
      path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | null)?.[k], stored),
    );
    // Read from the server: not a change for save() to send again.
    this.unmarkModified(path);
  }
}

/**
 * Lets a saved document take F on its scalar fields: `doc.views = F('views').plus(1)`
 * (or `doc.set('views', …)` on a typed model), then `await doc.save()` updates
 * the stored value atomically and the document holds the new number. The
 * manager plugin applies it; on a new document save() raises
 * {@link FieldError}. Paths added to the schema after the plugin ran are not covered.
 *
 * @example
 * ```ts
 * const entry = await Entry.objects.get({ headline: 'Hey Jude' });
 * entry.set('views', F('views').plus(1));
 * await entry.save(); // { $inc: { views: 1 } }, then entry.views is the stored count
 * ```
 */
export function fSave(schema: Schema): void {
  if (applied.has(schema)) return;
  applied.add(schema);
  schema.eachPath((path, type) => {
    if (path === '_id' || path === schema.get('versionKey') || SKIPPED.has(type.instance)) return;
    type.set(keepF);
  });
  schema.pre('save', applyPendingF);
}
