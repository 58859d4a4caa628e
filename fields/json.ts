// djongo's JSONField: a Mixed path. Filters reach into it with the manager's
// key resolution (`data__label`, `data__chart__uk__gte`). Mongoose cannot see
// a change made inside a Mixed value, so the jsonFields plugin keeps a BSON
// snapshot of each JSON value as loaded or saved (a side table, not a field
// on the document) and marks the path modified at save when it differs.
import mongoose, { type Document, type Schema } from 'mongoose';
import { presence, type Presence, type PresenceOptions, type WithDefault } from './options.js';
import { checkSameMongoose } from '../core/one-mongoose.js';
import { shapeOf, type ShapeLevel } from '../core/schema-shape.js';

/** A JSON value: what a JSONField holds. */
export type JSONValue = string | number | boolean | null | readonly JSONValue[] | { readonly [key: string]: JSONValue };

/** Options of {@link JSONField}. */
export interface JSONFieldOptions extends PresenceOptions {
  /** The value when none is given, or a function returning one (so each document gets its own object). */
  readonly default?: JSONValue | (() => JSONValue);
}

/** The definition {@link JSONField} returns. */
export type JSONFieldDefinition<O> = { type: typeof mongoose.Schema.Types.Mixed; json: true } & Presence<O> &
  WithDefault<O>;

/**
 * Any JSON value, djongo's `JSONField()`. Sub-keys are filterable:
 * `Entry.objects.filter({ data__label: 'Apple' })`. With the
 * {@link jsonFields} plugin, changes made in place (`doc.data.label = 'x'`)
 * are saved; without it, call `doc.markModified('data')` as for any Mixed.
 *
 * @example
 * ```ts
 * const entrySchema = new Schema({ data: JSONField({ default: () => ({}) }) });
 * entrySchema.plugin(jsonFields);
 * await Entry.objects.filter({ data__chart__uk__lte: 10 }); // { 'data.chart.uk': { $lte: 10 } }
 * ```
 */
export function JSONField<const O extends JSONFieldOptions = JSONFieldOptions>(options?: O): JSONFieldDefinition<O> {
  const opts: JSONFieldOptions = options ?? {};
  return {
    type: mongoose.Schema.Types.Mixed,
    json: true,
    ...presence(opts),
    ...('default' in opts ? { default: opts.default } : {}),
  } as JSONFieldDefinition<O>;
}

/** The JSONField paths of a schema, single-nested subdocuments included (`blog.meta`). */
export function jsonPaths(schema: Schema, prefix = ''): string[] {
  return jsonPathsIn(shapeOf(schema)).map((path) => prefix + path);
}

// Through nested objects and single embedded documents; an array's elements
// are documents of their own, whose schema takes the plugin itself.
function jsonPathsIn(level: ShapeLevel): string[] {
  return level.fields.flatMap((field) =>
    field.json
      ? [field.path]
      : (field.kind === 'nested' || field.kind === 'embedded') && field.child
        ? jsonPathsIn(field.child)
        : [],
  );
}

// document → path → BSON of the value as the database has it.
const snapshots = new WeakMap<object, Map<string, Buffer>>();

function serialize(value: unknown): Buffer | undefined {
  try {
    return Buffer.from(mongoose.mongo.BSON.serialize({ v: value }));
  } catch {
    return undefined; // not BSON (a cycle): treat as changed
  }
}

/**
 * Saves JSONField values changed in place, as Django's save() writes every
 * field: at each save, a JSONField whose value differs from the one loaded
 * (or last saved) is marked modified. Only changed values are written. For a
 * JSONField inside an array of embedded documents, apply the plugin to the
 * embedded schema too.
 *
 * @example
 * ```ts
 * entrySchema.plugin(jsonFields);
 * const entry = await Entry.objects.get({ headline: 'Hey Jude' });
 * entry.data.chart.uk = 2;
 * await entry.save(); // { $set: { data: { label: 'Apple', chart: { uk: 2 } } } }
 * ```
 */
export function jsonFields(schema: Schema): void {
  checkSameMongoose(schema, 'jsonFields');
  let paths: string[] | undefined;
  const pathsOf = (): string[] => (paths ??= jsonPaths(schema));

  schema.post('init', function snapshotJSONFields(this: Document) {
    takeSnapshot(this, pathsOf());
  });
  schema.pre('save', function markChangedJSONFields(this: Document) {
    if (this.isNew) return;
    const seen = snapshots.get(this);
    for (const path of pathsOf()) {
      if (!this.isSelected(path) || this.isModified(path)) continue;
      const before = seen?.get(path);
      const now = serialize(this.get(path));
      if (!before || !now || !before.equals(now)) this.markModified(path);
    }
  });
  schema.post('save', function snapshotSavedJSONFields(this: Document) {
    takeSnapshot(this, pathsOf());
  });
}

function takeSnapshot(doc: Document, paths: readonly string[]): void {
  const byPath = new Map<string, Buffer>();
  for (const path of paths) {
    const bson = serialize(doc.get(path));
    if (bson) byPath.set(path, bson);
  }
  snapshots.set(doc, byPath);
}
