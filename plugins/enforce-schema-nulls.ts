// Lax filling puts null into a hydrated document where the stored document
// lacks a model field. Mongoose compares an assignment with the value the
// document holds, so `doc.description = null` on such a field looks like no
// change, and save() would send nothing. This module remembers which paths of
// each hydrated document were filled, notices a null assigned to one of them,
// and marks that path modified, so the explicit null is stored; a document
// loaded and saved without such an assignment still writes no null.
//
// The assignment is noticed by a setter on each schema type the plan lists:
// Mongoose runs setters, with `this` the (sub)document, for every way of
// assigning (`doc.x = v`, set(path), set(object), nested objects, embedded
// documents and their arrays), and it is the public API for it. The setter
// marks the path modified at once; Mongoose undoes that for a top-level path
// of a document saved before ("back to its value at the last save"), so the
// save hook marks the assigned paths again.
import mongoose, { type Document, type SchemaType } from 'mongoose';
import type { Plan } from './enforce-schema-plan.js';

// Positional paths (`comments.1.author`) lax filling set to null, kept in
// the top-level document's `$locals` (Mongoose's public place for a plugin's
// per-document data) under a symbol: a lax read may fill every document, and
// a WeakMap entry per document cost about a tenth of hydration time.
const FILLED = Symbol('djongoose.enforceSchema.filled');
// Those of the filled paths the user has since set to null, by top-level document.
const assignedPaths = new WeakMap<object, Set<string>>();
// Schema types that already have the setter (a schema shared by several models).
const watched = new WeakSet<object>();

/**
 * Remembers the positional paths lax filling set to null in a hydrated
 * top-level document, as `inspect()` reported them in its `filled` list.
 *
 * @example
 * ```ts
 * const filled: string[] = [];
 * inspect(raw, plan, { fill: 'hydrated', collect: false, filled });
 * if (filled.length > 0) rememberFilled(doc, filled); // e.g. ['description', 'comments.1.author']
 * ```
 */
export function rememberFilled(doc: Document, paths: string[]): void {
  locals(doc)[FILLED] = paths;
}

function locals(doc: Document): { [FILLED]?: string[] | undefined } {
  return doc.$locals as { [FILLED]?: string[] | undefined };
}

/**
 * Puts the null-assignment setter on every schema type of a plan, at every
 * depth, once per schema type. Call it when a model is compiled (the
 * schema's 'init' event), with the plan of `model.schema`.
 *
 * @example
 * ```ts
 * schema.on('init', (model) => watchNullAssignments(planOf(model.schema)));
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
 * Marks modified, just before a save, every filled path the user set to
 * null (Mongoose may have cleared the mark the setter made), and forgets
 * them as filled: once saved, the null is stored.
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
  const filled = locals(doc)[FILLED];
  if (filled) {
    const left = filled.filter((path) => !assigned.has(path));
    locals(doc)[FILLED] = left.length > 0 ? left : undefined;
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
  const owner = (doc as Document & { ownerDocument(): Document }).ownerDocument();
  const filled = locals(owner)[FILLED];
  if (!filled) return value;
  const path = filledPathOf(owner, doc, type, filled, options?.path);
  if (path === undefined) return value;
  let assigned = assignedPaths.get(owner);
  if (!assigned) assignedPaths.set(owner, (assigned = new Set()));
  assigned.add(path);
  owner.markModified(path);
  return value;
}

/**
 * The filled path, from the top-level document, that this assignment sets,
 * if any. Which path a setter call is for depends on how it was assigned:
 * `doc.set('blog.tagline', v)` runs the setter on the embedded `blog` with
 * the `$set` path 'blog.tagline', `doc.blog.tagline = v` with 'tagline'. So
 * both the `$set` path and the schema type's own path are tried, and one
 * counts only where it leads, from `doc`, to this very schema type.
 */
function filledPathOf(
  owner: Document,
  doc: Document,
  type: SchemaType,
  filled: readonly string[],
  setPath: unknown,
): string | undefined {
  const candidates = typeof setPath === 'string' && setPath !== type.path ? [setPath, type.path] : [type.path];
  for (const relative of candidates) {
    if (doc.schema.path(relative) !== type) continue;
    if (doc === owner) {
      if (filled.includes(relative)) return relative;
      continue;
    }
    for (const path of filled) {
      const at = path.length - relative.length - 1;
      if (at <= 0 || path[at] !== '.' || !path.endsWith(relative)) continue;
      if (owner.get(path.slice(0, at), null, { getters: false }) === doc) return path;
    }
  }
  return undefined;
}
