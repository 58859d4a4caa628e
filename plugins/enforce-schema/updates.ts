// What a strict write's update or replacement would make of a document. A
// document the strict read found in order must still be in order after the
// write: an update may not remove a model field ($unset, $rename) or rename
// one to a name the model does not know, and a replacement gets null in
// every field it leaves out, as a strict save does.
import type { Model, Query } from 'mongoose';
import { planOf, type FieldPlan, type Findings, type Plan } from './plan.js';
import { driftingUpdateError } from './errors.js';
import { isPlainObject, isRecord } from '../../core/values.js';

// Every schema path of the plan, embedded ones included (`comments.author`),
// and whether the plan looks under it (embedded documents, nested objects).
const fieldPaths = new WeakMap<Plan, ReadonlyMap<string, boolean>>();

function pathsOf(plan: Plan): ReadonlyMap<string, boolean> {
  let paths = fieldPaths.get(plan);
  if (!paths) {
    const found = new Map<string, boolean>();
    const add = (fields: readonly FieldPlan[]): void => {
      for (const field of fields) {
        found.set(field.path, field.child !== undefined);
        if (field.child) add(field.child.fields);
      }
    };
    add(plan.fields);
    fieldPaths.set(plan, (paths = found));
  }
  return paths;
}

// An update path without its array positions (`comments.0.author`,
// `comments.$[].author` → `comments.author`), or undefined when it ends at
// an array element (unsetting one leaves null in the array, not a hole).
function schemaPath(path: string): string | undefined {
  const parts = path.split('.');
  const last = parts[parts.length - 1] ?? '';
  const position = (part: string): boolean => /^\d+$/.test(part) || part.startsWith('$');
  if (position(last)) return undefined;
  return parts.filter((part) => !position(part)).join('.');
}

// Whether writing `path` keeps the document in order: a model field, or a
// path inside one the plan does not look under (Mixed, Map, a primitive).
function writable(path: string, paths: ReadonlyMap<string, boolean>): boolean {
  const schema = schemaPath(path);
  if (schema === undefined) return true;
  const parts = schema.split('.');
  for (let i = 1; i <= parts.length; i++) {
    const checked = paths.get(parts.slice(0, i).join('.'));
    if (checked === undefined) return false;
    if (!checked) return true;
  }
  return true;
}

// Update operators that write the paths they name.
const WRITERS = ['$set', '$setOnInsert', '$inc', '$mul', '$min', '$max', '$push', '$addToSet', '$currentDate'];

/**
 * What an update would make a document disagree about: `missing`, the model
 * fields it removes (`$unset`, `$rename` from them); `unknown`, the names
 * the model does not know that `$rename` gives a field, or, when Mongoose
 * keeps unknown paths (`strict: false`, which `keepsUnknown` says), that any
 * operator writes. Undefined when the update keeps documents in order.
 * Pipeline updates (arrays) are not looked into.
 *
 * @example
 * ```ts
 * driftingPaths({ $unset: { rating: '' }, $set: { headline: 'x' } }, planOf(Entry.schema)); // { missing: ['rating'], unknown: [] }
 * driftingPaths({ $rename: { legacy: 'rating' } }, planOf(Entry.schema)); // undefined
 * driftingPaths({ $set: { legacy: 1 } }, planOf(Entry.schema), true); // { missing: [], unknown: ['legacy'] }
 * ```
 */
export function driftingPaths(update: unknown, plan: Plan, keepsUnknown = false): Findings | undefined {
  if (!isRecord(update)) return undefined;
  const paths = pathsOf(plan);
  const isField = (path: string): boolean => {
    const schema = schemaPath(path);
    return schema !== undefined && paths.has(schema);
  };
  const found: Findings = { missing: [], unknown: [] };
  if (isRecord(update['$unset'])) {
    for (const path of Object.keys(update['$unset'])) if (isField(path)) found.missing.push(path);
  }
  if (isRecord(update['$rename'])) {
    for (const [from, to] of Object.entries(update['$rename'])) {
      if (isField(from)) found.missing.push(from);
      if (typeof to === 'string' && !writable(to, paths)) found.unknown.push(to);
    }
  }
  if (keepsUnknown) {
    const written = Object.keys(update).filter((key) => !key.startsWith('$')); // an implicit $set
    for (const operator of WRITERS) {
      const spec = update[operator];
      if (isRecord(spec)) written.push(...Object.keys(spec));
    }
    for (const path of written) if (!writable(path, paths)) found.unknown.push(path);
  }
  return found.missing.length > 0 || found.unknown.length > 0 ? found : undefined;
}

/**
 * A copy of a replacement document with null in every model field it
 * leaves out, at every depth (embedded documents and arrays of them); the
 * caller's objects are not changed.
 *
 * @example
 * ```ts
 * padReplacement({ headline: 'x', blog: { name: 'b' } }, planOf(Entry.schema));
 * // { headline: 'x', blog: { name: 'b', tagline: null }, rating: null }
 * ```
 */
export function padReplacement(replacement: Record<string, unknown>, plan: Plan): Record<string, unknown> {
  const padded: Record<string, unknown> = { ...replacement };
  for (const field of plan.fields) {
    const value = padded[field.key];
    if (value === undefined) padded[field.key] = null;
    else if (field.child && field.array && Array.isArray(value)) {
      const child = field.child;
      padded[field.key] = value.map((item: unknown) => (isPlainObject(item) ? padReplacement(item, child) : item));
    } else if (field.child && isPlainObject(value)) {
      padded[field.key] = padReplacement(value, field.child);
    }
  }
  return padded;
}

/**
 * Raises MigrationError when a strict query's update would make documents
 * disagree with the model ({@link driftingPaths}); nothing is sent.
 *
 * @example
 * ```ts
 * schema.pre('updateOne', function () { refuseDrift(this, this.model); });
 * await Entry.updateOne({}, { $unset: { rating: 1 } }); // MigrationError: Entry: the update would remove rating…
 * ```
 */
export function refuseDrift(query: Query<unknown, unknown>, model: Model<never>): void {
  // Mongoose drops (strict: true) or refuses ('throw') unknown paths itself;
  // only with strict: false do they reach the server.
  const strict = query.mongooseOptions().strict ?? model.schema.get('strict');
  const drifting = driftingPaths(query.getUpdate(), planOf(model.schema as object), strict === false);
  if (drifting) throw driftingUpdateError(model.modelName, drifting);
}

/**
 * Gives a strict query's replacement null in every model field it leaves out.
 *
 * @example
 * ```ts
 * schema.pre('replaceOne', function () { padReplacementOf(this, this.model); });
 * await Entry.replaceOne({ headline: 'a' }, { headline: 'a' }); // stores rating: null
 * ```
 */
export function padReplacementOf(query: Query<unknown, unknown>, model: Model<never>): void {
  const replacement = query.getUpdate();
  if (isPlainObject(replacement)) query.setUpdate(padReplacement(replacement, planOf(model.schema as object)));
}
