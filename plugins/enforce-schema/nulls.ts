// Lax filling puts null into a hydrated document where the stored document
// lacks a model field. Mongoose compares an assignment with the value the
// document holds, so `doc.description = null` on such a field looks like no
// change, and save() would send nothing. This module notices a null assigned
// over a null and marks that path modified, so the explicit null is stored;
// a document loaded and saved without such an assignment still writes no
// null.
//
// Nothing is recorded when documents are read: lax reads fill every document
// and must stay as fast as without the plugin. So a null assigned over a null
// the server did store is sent again too, which writes what is already there.
//
// The assignment is noticed by a setter on each schema type the plan lists:
// Mongoose runs setters, with `this` the (sub)document, for every way of
// assigning (`doc.x = v`, set(path), set(object), nested objects, embedded
// documents and their arrays), and it is the public API for it. The setter
// marks the path modified at once (an embedded document passes the mark on to
// its parent); Mongoose undoes that for a top-level path of a document saved
// before ("back to its value at the last save"), so the save hook marks the
// assigned top-level paths again.
import mongoose, { type Document, type SchemaType } from 'mongoose';
import { isSubdocument } from '../../core/mongoose-internals.js';
import type { Plan } from './plan.js';

// Top-level paths the user has set to null over a null, by document, until its next save.
const assignedPaths = new WeakMap<object, Set<string>>();
// Schema types that already have the setter (a schema shared by several models).
const watched = new WeakSet<object>();

/**
 * Puts the null-assignment setter on every schema type of a plan, at every
 * depth, once per schema type. Call it when a model is compiled (in
 * Model.init()), with the plan of `model.schema`.
 *
 * @example
 * ```ts
 * schema.static('init', function () { watchNullAssignments(planOf(this.schema)); return Model.init.call(this); });
 * ```
 */
export function watchNullAssignments(plan: Plan): void {
  for (const field of plan.fields) {
    if (field.type && !watched.has(field.type)) {
      watched.add(field.type);
      field.type.set(noteNullAssignment);
    }
    if (field.child) watchNullAssignments(field.child);
  }
}

/**
 * Marks modified, just before a save, every top-level path the user set to
 * null over a null (Mongoose may have cleared the mark the setter made).
 *
 * @example
 * ```ts
 * schema.pre('save', function () { markAssignedNulls(this); });
 * ```
 */
export function markAssignedNulls(doc: Document): void {
  const assigned = assignedPaths.get(doc);
  if (!assigned) return;
  assignedPaths.delete(doc);
  for (const path of assigned) {
    if (doc.get(path, null, { getters: false }) === null) doc.markModified(path);
  }
}

// A setter: (value, prior value, schema type, options). Mongoose calls it
// with `this` the document or embedded document the path belongs to, and
// with a query on query casting; `options.path` is the path as passed to
// $set, relative to the document $set was called on.
function noteNullAssignment(
  this: unknown,
  value: unknown,
  prior: unknown,
  type: SchemaType,
  options?: { path?: unknown },
): unknown {
  if (value !== null || prior !== null || !(this instanceof mongoose.Document)) return value;
  const doc = this as Document;
  const path = relativePathOf(doc, type, options?.path);
  if (path === undefined) return value;
  doc.markModified(path);
  if (!isSubdocument(doc)) {
    let assigned = assignedPaths.get(doc);
    if (!assigned) assignedPaths.set(doc, (assigned = new Set()));
    assigned.add(path);
  }
  return value;
}

/**
 * The path, relative to `doc`, that this assignment sets. Which path a
 * setter call is for depends on how it was assigned: `doc.set('blog.tagline',
 * v)` runs the setter on the embedded `blog` with the `$set` path
 * 'blog.tagline', `doc.blog.tagline = v` with 'tagline'. So both the `$set`
 * path and the schema type's own path are tried, and one counts only where it
 * leads, from `doc`, to this very schema type.
 */
function relativePathOf(doc: Document, type: SchemaType, setPath: unknown): string | undefined {
  const candidates = typeof setPath === 'string' && setPath !== type.path ? [setPath, type.path] : [type.path];
  return candidates.find((relative) => doc.schema.path(relative) === type);
}
