// Every private Mongoose access djongoose makes, in one place, so a Mongoose
// upgrade means reading this file and running test/unit/mongoose-internals*.
// Each export says why the public API does not suffice, falls back to a
// public route where one exists, and has a unit test that fails if an
// upgrade changes what it reads.
//
// Nothing outside this file reads a private Mongoose member (`_doc`,
// `$__…`, `$is…`, `defaultValue`, `castForQuery`, `schema.nested`,
// `schema.base`, SchemaType `.schema` or `setters`, …), nor a private
// member of the driver Mongoose bundles (`mongoose.mongo`).
// test/unit/mongoose-internals-boundary.test.ts searches the sources for them.
import mongoose, { type Aggregate, type Document, type Model, type Schema, type SchemaType } from 'mongoose';

// ───────────────────────────────────────────────────────────────────────
// Section A: schemas and schema types (read by core/schema-shape.ts).
// ───────────────────────────────────────────────────────────────────────

/** The schema of an embedded document, and whether it comes as an array of them. */
export interface EmbeddedSchema {
  readonly schema: Schema;
  readonly array: boolean;
}

interface SchemaTypeFlags {
  readonly $isSingleNested?: unknown;
  readonly $isMongooseDocumentArray?: unknown;
  readonly schema?: unknown;
}

/**
 * The schema an embedded document path (`new Schema({ blog: blogSchema })`)
 * or a document array path (`comments: [commentSchema]`) holds.
 *
 * Why private: the public route is `instanceof Schema.Types.Subdocument` /
 * `DocumentArray`, which holds only for SchemaTypes of this copy of
 * Mongoose; a schema built by another copy (npm link, a pinned app) fails it.
 * Mongoose marks its own classes with `$isSingleNested` and
 * `$isMongooseDocumentArray` for that reason. The instanceof route is the fallback.
 *
 * @example
 * ```ts
 * embeddedSchemaOf(entrySchema.path('comments')); // { schema: commentSchema, array: true }
 * ```
 */
export function embeddedSchemaOf(type: SchemaType): EmbeddedSchema | undefined {
  const flags = type as SchemaType & SchemaTypeFlags;
  const schema = flags.schema instanceof mongoose.Schema || isSchemaLike(flags.schema) ? flags.schema : undefined;
  if (schema && flags.$isSingleNested === true) return { schema, array: false };
  if (schema && flags.$isMongooseDocumentArray === true) return { schema, array: true };
  if (type instanceof mongoose.Schema.Types.Subdocument) return { schema: type.schema, array: false };
  if (type instanceof mongoose.Schema.Types.DocumentArray) return { schema: type.schema, array: true };
  return undefined;
}

// A Schema of another copy of Mongoose is not `instanceof` ours; `instanceOfSchema` is how Mongoose tells.
function isSchemaLike(value: unknown): value is Schema {
  return (
    typeof value === 'object' && value !== null && (value as { instanceOfSchema?: unknown }).instanceOfSchema === true
  );
}

/**
 * The element type of an array path (`tags: [String]` gives the String
 * type), or undefined for any other path.
 *
 * Why here: `embeddedSchemaType` is public and typed on SchemaArray, but
 * only reachable after an `instanceof` narrowing that fails across two
 * copies of Mongoose; reading it by `instance === 'Array'` is this file's
 * business. `caster`, its older name, is never set in Mongoose 9: no
 * fallback reads it.
 *
 * @example
 * ```ts
 * arrayElementOf(entrySchema.path('tags'))?.instance; // 'String'
 * ```
 */
export function arrayElementOf(type: SchemaType): SchemaType | undefined {
  if (type.instance !== 'Array') return undefined;
  const element = (type as SchemaType & { embeddedSchemaType?: unknown }).embeddedSchemaType;
  return element instanceof mongoose.SchemaType || isSchemaTypeLike(element) ? element : undefined;
}

function isSchemaTypeLike(value: unknown): value is SchemaType {
  return typeof value === 'object' && value !== null && typeof (value as { instance?: unknown }).instance === 'string';
}

/** Whether a path has a default, and which. */
export interface PathDefault {
  readonly has: boolean;
  /** The value or the function Mongoose calls for one. */
  readonly value: unknown;
}

/**
 * The default of a path: `{ default: 3 }`, and the ones Mongoose gives
 * itself (arrays default to `[]`, `_id` to a new ObjectId).
 *
 * Why private: the public `options.default` holds only what the user wrote,
 * not the defaults Mongoose adds (arrays, `_id`), and `SchemaType#default()`
 * called with no argument is undocumented. `defaultValue` is where Mongoose
 * keeps both; `options.default` is the fallback.
 *
 * @example
 * ```ts
 * defaultOf(new Schema({ n: { type: Number, default: 3 } }).path('n')); // { has: true, value: 3 }
 * ```
 */
export function defaultOf(type: SchemaType): PathDefault {
  if ('defaultValue' in type) {
    const value = (type as SchemaType & { defaultValue?: unknown }).defaultValue;
    return { has: value !== undefined, value };
  }
  const options = (type.options ?? {}) as { default?: unknown };
  return { has: options.default !== undefined, value: options.default };
}

/**
 * Casts a filter value as Mongoose's own query casting does, by the path's
 * type: `'4'` to 4 for a Number, a hex string to an ObjectId. Throws
 * Mongoose's CastError when the value does not cast.
 *
 * Why private: `SchemaType#castForQuery` is marked `@api private` in
 * Mongoose 9 and missing from its typings; `SchemaType#cast` is public but
 * casts a document value (no query conditionals, arrays wrapped
 * differently), and `Query#cast` needs a model and a whole filter. This is
 * the one typed wrapper.
 *
 * @example
 * ```ts
 * castForQuery(entrySchema.path('rating'), '4'); // 4
 * ```
 */
export function castForQuery(type: SchemaType, value: unknown): unknown {
  return (type as SchemaType & { castForQuery(conditional: null, value: unknown): unknown }).castForQuery(null, value);
}

/**
 * The value a discriminator schema's documents store under the
 * discriminator key (`discriminator(name, schema, { value })`, the name by
 * default), or undefined for a schema that is no discriminator's.
 *
 * Why private: Mongoose keeps it only in `schema.discriminatorMapping`; the
 * public `Model.discriminators` is keyed by model name, which differs from
 * the stored value when `{ value }` is given.
 *
 * @example
 * ```ts
 * discriminatorValueOf(Entry.discriminator('Review', reviewSchema).schema); // 'Review'
 * ```
 */
export function discriminatorValueOf(schema: Schema): unknown {
  const mapping = (schema as Schema & { discriminatorMapping?: { isRoot?: unknown; value?: unknown } })
    .discriminatorMapping;
  return mapping && mapping.isRoot !== true ? (mapping.value ?? undefined) : undefined;
}

// (end of section A)

// ───────────────────────────────────────────────────────────────────────
// Section B: documents, queries, models, the Mongoose instance and the driver.
// These are reached at run time, per document or per query, rather than
// once per schema.
// ───────────────────────────────────────────────────────────────────────

// ── Documents ──────────────────────────────────────────────────────────

/**
 * The object a document keeps its values in (`doc._doc`), by identity. Why
 * private: populate with `clone: true` copies a populated document with
 * `Model.hydrate(doc._doc)`, so the only way to know that a hydrate call is
 * such a copy is to recognise that very object; `toObject()` and
 * `$toObject()` return new objects. No public fallback: without it, a
 * clone is checked again as a new read, which costs time and finds nothing
 * new (the result is `undefined` then).
 *
 * @example
 * ```ts
 * const Entry = mongoose.model('Entry', new mongoose.Schema({ headline: String }));
 * const doc = new Entry({ headline: 'a' });
 * const own = documentValues(doc); // { _id: …, headline: 'a' }, the object hydrate() would be given
 * ```
 */
export function documentValues(doc: Document): object | undefined {
  const own: unknown = (doc as unknown as { _doc?: unknown })._doc;
  return typeof own === 'object' && own !== null ? own : undefined;
}

/**
 * Whether `doc` is a subdocument (single nested or array element) rather
 * than a top-level document. Reads `$isSubdocument`, which Mongoose sets on
 * its Subdocument prototype and branches on itself (its hooks and
 * timestamps), documented on subdocuments but missing from Document's
 * typings. Public fallback, when the flag is not a boolean: `instanceof
 * mongoose.Types.Subdocument`, which array subdocuments extend too.
 *
 * @example
 * ```ts
 * const Post = mongoose.model('Post', new mongoose.Schema({ blog: new mongoose.Schema({ name: String }) }));
 * const post = new Post({ blog: { name: 'b' } });
 * isSubdocument(post); // false
 * isSubdocument(post.blog as unknown as mongoose.Document); // true
 * ```
 */
export function isSubdocument(doc: Document): boolean {
  const flag: unknown = (doc as unknown as { $isSubdocument?: unknown }).$isSubdocument;
  return typeof flag === 'boolean' ? flag : doc instanceof mongoose.Types.Subdocument;
}

type SetValue = (this: Document, path: string, value: unknown) => unknown;

/**
 * Puts `value` at `path` of `doc` as it is, without casting, setters or
 * change tracking (`doc.$__setValue`), as Mongoose puts `__v` into the
 * documents insertMany sends; returns false, having done nothing, when that
 * member is gone. Why private: `doc.set()` casts and tracks changes, which
 * for a counter's safe integer on a new document (sent whole anyway) is
 * most of the cost of numbering a large insertMany. Public fallback: the
 * caller's `doc.set(path, value)` when this returns false. Only for a new
 * document and a path with {@link hasNoSetters}: no setter or cast is
 * skipped that would change the value.
 *
 * @example
 * ```ts
 * const Entry = mongoose.model('Entry', new mongoose.Schema({ id: Number }));
 * const doc = new Entry();
 * if (!setValueUncast(doc, 'id', 5)) doc.set('id', 5);
 * ```
 */
export function setValueUncast(doc: Document, path: string, value: unknown): boolean {
  const setValue: unknown = (doc as unknown as { $__setValue?: unknown }).$__setValue;
  if (typeof setValue !== 'function') return false;
  (setValue as SetValue).call(doc, path, value);
  return true;
}

/**
 * Whether the SchemaType runs no setter on assignment: its `setters` list
 * is empty. Why private: SchemaType has `set(fn)` to add a setter but no
 * reader of the list (`setters` is untyped). No public fallback: when the
 * list cannot be read, the answer is false, so the caller takes the public
 * route (`doc.set()`), which runs whatever setters there are.
 *
 * @example
 * ```ts
 * const schema = new mongoose.Schema({ id: Number, slug: { type: String, set: (v: string) => v.trim() } });
 * hasNoSetters(schema.path('id')); // true
 * hasNoSetters(schema.path('slug')); // false
 * ```
 */
export function hasNoSetters(schemaType: SchemaType | undefined): boolean {
  const setters: unknown = (schemaType as { setters?: unknown } | undefined)?.setters;
  return Array.isArray(setters) && setters.length === 0;
}

/**
 * Whether assigning the schema's virtual `name` on a document runs a setter:
 * one the user declared with `.set(fn)`, or Mongoose's own for a virtual
 * with neither getter nor setter (which keeps the value in `$locals`). A
 * virtual with only a getter, a populate virtual (`ref`/`refPath`) and a
 * name that is no virtual answer false. Why private: `schema.virtualpath()`
 * is public, but a VirtualType's `setters`, `getters` and `options` are not
 * (untyped, no reader). No public fallback: when they cannot be read, the
 * answer is false, so the name is refused as no field.
 *
 * @example
 * ```ts
 * const schema = new mongoose.Schema({ name: String });
 * schema.virtual('title').get(function () { return this.name; }).set(function (v: string) { this.name = v; });
 * hasVirtualSetter(schema, 'title'); // true
 * ```
 */
export function hasVirtualSetter(schema: Schema, name: string): boolean {
  const virtual = schema.virtualpath(name) as {
    setters?: unknown;
    getters?: unknown;
    options?: { ref?: unknown; refPath?: unknown };
  } | null;
  if (virtual === null || !Array.isArray(virtual.setters) || !Array.isArray(virtual.getters)) return false;
  if (virtual.options?.ref != null || virtual.options?.refPath != null) return false;
  return virtual.setters.length > 0 || virtual.getters.length === 0;
}

const everything = (): boolean => true;
const selections = new WeakMap<object, (path: string) => boolean>();

/**
 * The projection a hydrated document was loaded with, as a `selected(path)`
 * predicate. Why private: `doc.isSelected(path)` is public but costs microseconds
 * a call, which per document per missing field was most of the plugin's
 * cost on hydrated reads. Mongoose keeps the query's projection object in
 * `doc.$__.selected`, one object shared by every document of a query, so the
 * predicate is built once per query and cached on that object. Fallback:
 * every path counts as selected when the projection cannot be read.
 *
 * @example
 * ```ts
 * const Entry = mongoose.model('Entry', new mongoose.Schema({ name: String, description: String }));
 * const doc = Entry.hydrate({ _id: new mongoose.Types.ObjectId(), name: 'a' }, { name: 1 });
 * const selected = selectedOf(doc, (projection) => (path) => path in (projection as object));
 * selected('description'); // false
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
 * Whether a predicate {@link selectedOf} returned selects every path: the
 * document was loaded without a projection (or with one that keeps all).
 * Not a Mongoose internal itself; it names the predicate selectedOf returns then.
 *
 * @example
 * ```ts
 * const Entry = mongoose.model('Entry', new mongoose.Schema({ name: String }));
 * selectsEverything(selectedOf(new Entry(), () => undefined)); // true
 * ```
 */
export function selectsEverything(selected: (path: string) => boolean): boolean {
  return selected === everything;
}

/**
 * Records that the reference at `path` of `doc` was populated from `id`
 * and found no document, as Mongoose's populate leaves such a path: its
 * value null and `doc.populated(path)` the stored id (so depopulate() and
 * a refresh give the id back). Why private: `populated(path, value)`'s
 * setter form is marked internal in Mongoose's source and missing from its
 * typings; `doc.set(path, document)` marks a found document populated
 * publicly, but nothing public marks a reference whose document is gone.
 * Public fallback: none; when the method is gone the path stays null and
 * unmarked (populated() answers undefined).
 *
 * @example
 * ```ts
 * const Book = mongoose.model('Book', new mongoose.Schema({ author: { type: mongoose.Schema.Types.ObjectId, ref: 'Author' } }));
 * const id = new mongoose.Types.ObjectId();
 * const book = Book.hydrate({ _id: new mongoose.Types.ObjectId(), author: null });
 * markPopulatedMissing(book, 'author', id);
 * book.populated('author'); // id
 * ```
 */
export function markPopulatedMissing(doc: Document, path: string, id: unknown): void {
  const populated: unknown = (doc as unknown as { $populated?: unknown }).$populated;
  if (typeof populated === 'function') (populated as (p: string, v: unknown) => unknown).call(doc, path, id);
}

// ── Models ─────────────────────────────────────────────────────────────

/**
 * Stops Model.init() from creating the collection and its indexes for this
 * model only. Why private: the public switches (`autoCreate`, `autoIndex`)
 * live on the schema, which is shared by every model compiled from it, and on
 * the connection, which other models use too; strictness here is per model
 * (ENFORCE_SCHEMA is the connection's). Model.init() returns `model.$init`
 * when it is set; the plugin's `init` static calls this just before it.
 * Mongoose clears `$init` on reconnect and calls `model.init()` again (the
 * static), so this holds across reconnects. No public fallback.
 *
 * @example
 * ```ts
 * const schema = new mongoose.Schema({ name: String });
 * schema.static('init', function () {
 *   skipAutoCreate(this as unknown as mongoose.Model<never>);
 *   return mongoose.Model.init.call(this);
 * });
 * ```
 */
export function skipAutoCreate(model: Model<never>): void {
  (model as unknown as { $init?: Promise<void> }).$init = Promise.resolve();
}

/**
 * The model a stored document belongs to: the discriminator of `model` whose
 * value its discriminator key holds, else `model` itself. Why private: the
 * value a discriminator stores (`discriminator(name, schema, { value })`,
 * the name by default) is public only as Mongoose's `schema.discriminatorMapping`;
 * `Model.discriminators` itself is public. Mongoose hydrates a base query's
 * documents the same way; lean rows need it done here. Fallback: `model`.
 *
 * @example
 * ```ts
 * const Entry = mongoose.model('Entry', new mongoose.Schema({ headline: String })) as unknown as mongoose.Model<never>;
 * const Review = Entry.discriminator('Review', new mongoose.Schema({ stars: Number }));
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

// ── Queries and aggregations ───────────────────────────────────────────

/**
 * Adds a transform to the rows of an aggregation cursor, before the caller's
 * own. Why private: AggregationCursor reads `options.cursor.transform` after
 * the 'aggregate' pre hooks, and there is no public way to reach the cursor
 * from a hook. The transform must not throw (Mongoose calls it outside any
 * error channel); it may only mark or fill rows. No public fallback: an
 * aggregation that is not a cursor (`options.cursor` unset) is left alone,
 * its rows reach the 'aggregate' post hook instead.
 *
 * @example
 * ```ts
 * const schema = new mongoose.Schema({ name: String });
 * schema.pre('aggregate', function () {
 *   addCursorTransform(this, (row) => row);
 * });
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

// ── Schema types and the Mongoose instance ─────────────────────────────

/**
 * The arguments Mongoose gives a SchemaType class it constructs for a path:
 * `new Type(path, options, schemaOptions, parentSchema)` (Schema's
 * `interpretAsType`). Mongoose's typings name only `(path, options,
 * instance)`, the base SchemaType's own; the fourth, the schema the path is
 * declared in, is the one way a custom type can install hooks on the schema
 * that uses it.
 */
export type SchemaTypeConstructorArgs = [
  path: string,
  options?: Record<string, unknown>,
  schemaOptions?: unknown,
  parentSchema?: Schema,
];

/**
 * The arguments a custom SchemaType subclass (of a built-in such as
 * `Schema.Types.String`) hands to `super`, all four, typed as the
 * three the typings declare. Why private: the `parentSchema` argument is
 * undocumented in the typings and the guide; Mongoose's own types
 * (SchemaString, …) take it and store it as `this.parentSchema`. No public
 * fallback: without it, a custom type cannot reach its schema, and its
 * users would have to apply a plugin by hand.
 *
 * @example
 * ```ts
 * class Slug extends mongoose.Schema.Types.String {
 *   constructor(...args: SchemaTypeConstructorArgs) {
 *     super(...schemaTypeSuperArgs(...args));
 *     args[3]?.pre('save', function () {});
 *   }
 * }
 * ```
 */
export function schemaTypeSuperArgs(
  ...args: SchemaTypeConstructorArgs
): ConstructorParameters<typeof mongoose.SchemaType> {
  return args as unknown as ConstructorParameters<typeof mongoose.SchemaType>;
}

/**
 * Adds `cast` as how paths of this SchemaType's class cast `operator` in a
 * query filter, unless Mongoose already has a caster for it. Reads and
 * writes `$conditionalHandlers`, typed and made public for this by
 * mongoose#15497 but not in the guide, and shared by every path of the
 * SchemaType class (its prototype's), in whichever copy of Mongoose made
 * the schema: kept here so that an upgrade that moves it has one place to
 * look. No public fallback: Mongoose casts every filter again when the
 * query runs, with this table.
 *
 * @example
 * ```ts
 * const schema = new mongoose.Schema({ count: mongoose.Schema.Types.Int32 });
 * addOperatorCaster(schema.path('count'), '$mod', (value) => value);
 * ```
 */
export function addOperatorCaster(
  schemaType: SchemaType | undefined,
  operator: `$${string}`,
  cast: (this: SchemaType, value: unknown) => unknown,
): void {
  const handlers = schemaType?.$conditionalHandlers;
  if (handlers && !handlers[operator]) handlers[operator] = cast;
}

/**
 * The version of the Mongoose copy that made `schema`, when it tells. Why
 * private: a schema keeps its Mongoose instance as `schema.base` (Mongoose
 * sets it on `Schema.prototype` and on each instance's own Schema class), and
 * no public API names the instance or copy a schema belongs to. No public
 * fallback: `undefined` when it cannot be read.
 *
 * @example
 * ```ts
 * mongooseVersionOf(new mongoose.Schema({ name: String })); // mongoose.version
 * ```
 */
export function mongooseVersionOf(schema: object): string | undefined {
  const base = (schema as { base?: { version?: unknown } }).base;
  return typeof base?.version === 'string' ? base.version : undefined;
}

// ── The driver ─────────────────────────────────────────────────────────

/**
 * Limits the batches of a GridFS download stream's chunk cursor to
 * `chunks` chunks. Why private: the driver keeps the chunk cursor at
 * `stream.s.cursor` and creates it just before emitting 'file', before its
 * first batch, and exposes no batch size for GridFS reads. Public fallback:
 * if the shape changes, nothing is done and the stream still works, with
 * the driver's default batches.
 *
 * @example
 * ```ts
 * declare const bucket: mongoose.mongo.GridFSBucket;
 * const stream = bucket.openDownloadStream(new mongoose.Types.ObjectId());
 * stream.once('file', () => limitChunkBatches(stream, 16));
 * ```
 */
export function limitChunkBatches(stream: mongoose.mongo.GridFSBucketReadStream, chunks: number): void {
  const cursor = (stream as unknown as { s?: { cursor?: { batchSize?: unknown } } }).s?.cursor;
  if (typeof cursor?.batchSize === 'function') (cursor.batchSize as (size: number) => unknown).call(cursor, chunks);
}

// (end of section B)
