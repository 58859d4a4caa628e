// on_delete for a document's own deleteOne(): before Mongoose deletes the
// document, the references to it declared with onDelete are followed (a
// PROTECT referrer refuses, and the document stays). The manager plugin
// applies it, and checks the schema's own onDelete declarations at once.
// Mongoose's query deletes (Model.deleteOne/deleteMany, findOneAndDelete)
// are left raw, as Django's QuerySet._raw_delete: they are the door that
// bypasses on_delete.
import type { Document, Model, Schema } from 'mongoose';
import { checkOnDelete } from '../manager/on-delete-rules.js';
import { deleteWithRules } from '../manager/on-delete.js';

async function applyOnDelete(this: Document): Promise<void> {
  const model = this.constructor as Model<Record<string, unknown>>;
  await deleteWithRules(model, { _id: this._id }, { keepRoot: true });
}

/**
 * Makes `doc.deleteOne()` follow the onDelete rules of references to the
 * document's model, and checks the schema's own declarations.
 *
 * @example
 * ```ts
 * onDelete(articleSchema); // the manager plugin does this
 * await article.deleteOne(); // SelfRef.article (onDelete: 'SET_NULL') set to null first
 * ```
 */
export function onDelete(schema: Schema): void {
  checkOnDelete(schema);
  schema.pre('deleteOne', { document: true, query: false }, applyOnDelete);
}
