// The two places where ENFORCE_SCHEMA needs Mongoose internals, kept here so
// a Mongoose upgrade has one file to check.
import type { Aggregate, Model } from 'mongoose';

/**
 * Stops Model.init() from creating the collection and its indexes for this
 * model only. Why private: the public switches (`autoCreate`, `autoIndex`)
 * live on the schema, which is shared by every model compiled from it, and on
 * the connection, which other models use too; strictness here is per model
 * (ENFORCE_SCHEMA is the connection's). Model.init() returns `model.$init`
 * when it is set; the plugin's `init` static calls this just before it.
 * Mongoose clears `$init` on reconnect and calls `model.init()` again (the
 * static), so this holds across reconnects.
 *
 * @example
 * ```ts
 * schema.static('init', function () { if (isStrict(this)) skipAutoCreate(this); return Model.init.call(this); });
 * ```
 */
export function skipAutoCreate(model: Model<never>): void {
  (model as unknown as { $init?: Promise<void> }).$init = Promise.resolve();
}

/**
 * Adds a transform to the rows of an aggregation cursor, before the caller's
 * own. Why private: AggregationCursor reads `options.cursor.transform` after
 * the 'aggregate' pre hooks, and there is no public way to reach the cursor
 * from a hook. The transform must not throw (Mongoose calls it outside any
 * error channel); it may only mark or fill rows.
 *
 * @example
 * ```ts
 * schema.pre('aggregate', function () { addCursorTransform(this, (row) => fill(row)); });
 * ```
 */
export function addCursorTransform(aggregate: Aggregate<unknown>, transform: (row: unknown) => unknown): void {
  const options = aggregate.options as { cursor?: { transform?: (row: unknown) => unknown } };
  if (!options.cursor) return;
  const theirs = options.cursor.transform;
  // `for await` registers Mongoose's own `{ value, done }` wrapping before
  // the pre hooks finish, so a later transform may get the wrapper; a row
  // always has its _id, the wrapper never does.
  const ours = (row: unknown): unknown => {
    if (isIteratorResult(row)) {
      if (row.value !== null && row.value !== undefined) transform(row.value);
      return row;
    }
    return transform(row);
  };
  options.cursor = { ...options.cursor, transform: theirs ? (row: unknown) => theirs(ours(row)) : ours };
}

function isIteratorResult(row: unknown): row is { value: unknown; done: boolean } {
  return (
    typeof row === 'object' &&
    row !== null &&
    !('_id' in row) &&
    'done' in row &&
    'value' in row &&
    Object.keys(row).length === 2
  );
}

const everything = (): boolean => true;
const selections = new WeakMap<object, (path: string) => boolean>();

/**
 * The projection a hydrated document was loaded with, as a `selected(path)`
 * predicate. Why private: `doc.isSelected(path)` is public but costs microseconds
 * a call, which per document per missing field was most of the plugin's
 * cost on hydrated reads. Mongoose keeps the query's projection object in
 * `doc.$__.selected`, one object shared by every document of a query, so the
 * predicate is built once per query and cached on that object.
 *
 * @example
 * ```ts
 * const selected = selectedOf(doc, selection);
 * selected('description'); // false after .select('name')
 * ```
 */
export function selectedOf(
  doc: object,
  build: (projection: unknown) => ((path: string) => boolean) | undefined,
): (path: string) => boolean {
  const projection = (doc as { $__?: { selected?: unknown } }).$__?.selected;
  if (projection === null || typeof projection !== 'object') return everything;
  let selected = selections.get(projection);
  if (!selected) selections.set(projection, (selected = build(projection) ?? everything));
  return selected;
}

/**
 * The model a stored document belongs to: the discriminator of `model` whose
 * value its discriminator key holds, else `model` itself. Why private: the
 * value a discriminator stores (`discriminator(name, schema, { value })`,
 * the name by default) is public only as Mongoose's `schema.discriminatorMapping`;
 * `Model.discriminators` itself is public. Mongoose hydrates a base query's
 * documents the same way; lean rows need it done here.
 *
 * @example
 * ```ts
 * discriminatorOf(Entry, { __t: 'Review', stars: 5 }); // Review
 * discriminatorOf(Entry, { headline: 'x' }); // Entry
 * ```
 */
export function discriminatorOf(model: Model<never>, raw: Record<string, unknown>): Model<never> {
  const discriminators = model.discriminators as Record<string, Model<never>> | undefined;
  if (!discriminators) return model;
  const key = model.schema.get('discriminatorKey');
  const value = typeof key === 'string' ? raw[key] : undefined;
  if (value === undefined || value === null) return model;
  for (const child of Object.values(discriminators)) {
    const mapping = (child.schema as { discriminatorMapping?: { value?: unknown } }).discriminatorMapping;
    if (mapping?.value !== undefined && mapping.value !== null && String(mapping.value) === String(value)) return child;
  }
  return model;
}
