// The enforceSchema plugin: djongo's ENFORCE_SCHEMA for Mongoose models.
// Lax (the default): a field the model has and a stored document lacks reads
// as null. Strict: such a document, or one with fields the model does not
// know, raises MigrationError, on a read and before a write that would
// change it; writes need a collection `migrate` made.
import mongoose, {
  type Aggregate,
  type Connection,
  type Document,
  type Model,
  type Query,
  type Schema,
} from 'mongoose';
import { connectionSettings } from '../../core/connect.js';
import { checkSameMongoose } from '../../core/one-mongoose.js';
import {
  addCursorTransform,
  discriminatorOf,
  documentValues,
  isSubdocument,
  selectedOf,
  selectsEverything,
  skipAutoCreate,
} from '../../core/mongoose-internals.js';
import { inspect, planOf, selection, type Findings } from './plan.js';
import { fillerOf, type Fill } from './filler.js';
import { collectionExists } from './collections.js';
import { markAssignedNulls, watchNullAssignments } from './nulls.js';
import { ENFORCE_SCHEMA_OPTION, checkOptions, queryOverride, type EnforceSchemaOptions } from './options.js';
import { documentError, missingCollectionError } from './errors.js';
import { enforceOnRows, rowJudge, rowShape } from './rows.js';
import { pad } from './padding.js';
import { MULTI_WRITES, REPLACEMENTS, SINGLE_WRITES, UPDATES, checkBeforeWrite, checkBulkWrite } from './writes.js';
import { padReplacementOf, refuseDrift } from './updates.js';
import { padUpsertOf } from './upserts.js';
import { rowVerdict } from '../../core/row-verdicts.js';
import { markReadPlugin } from '../../core/read-plugins.js';

export { ENFORCE_SCHEMA_OPTION, type EnforceSchemaOptions, type EnforceSchemaQueryOptions } from './options.js';

const READ_QUERIES = ['find', 'findOne', 'findOneAndUpdate', 'findOneAndReplace', 'findOneAndDelete'] as const;
type AnyQuery = Query<unknown, unknown>;
const QUERY_ONLY = { document: false, query: true } as const;
type AnyModel = Model<never>;

/**
 * djongo's ENFORCE_SCHEMA for a Mongoose schema.
 *
 * The mode: a query's `enforceSchema` option (`setOptions({ enforceSchema })`,
 * `aggregate.option({ enforceSchema })`) beats the plugin's `strict`, which
 * beats the connection's ENFORCE_SCHEMA (`connect({ ENFORCE_SCHEMA: true })`);
 * a connection djongoose did not open is lax.
 *
 * **Lax.** A model field a stored document lacks reads as `null`, on hydrated
 * documents, `.lean()` results, `Model.objects` values()/valuesList(), cursors
 * and annotate() rows, inside embedded documents and arrays of them at every
 * depth, and on documents made with `Model.hydrate()`. Fields the query did
 * not select stay absent. The nulls are never written back: a loaded
 * document does not count them as modified. Assigning null to such a field
 * (`doc.description = null`, `doc.set(path, null)`, at any depth) does count,
 * and save() stores the null (the plugin puts a setter on each schema path
 * to notice it). On a hydrated document a field with a Mongoose default
 * (arrays included) gets its default instead, as Mongoose gives it without
 * the plugin; a nested object without a schema of its own reads as `{}` with
 * null fields.
 *
 * **Strict.** A read raises {@link MigrationError} (model, `_id`, `missing`,
 * `unknown`) for a document that lacks a model field or holds a field the
 * model does not know, at any depth; so does `Model.hydrate(raw)`, with its
 * projection excusing the fields it leaves out. "Lacks" counts every field,
 * defaults or not, except `_id` (of the document and of embedded documents),
 * the version key (`__v`: djongo's documents have none) and the discriminator
 * key; a document of a discriminator is judged by the discriminator's model.
 * So that documents written through the model pass, strict saves, insertMany
 * and replacements write every unset field as null, as Django writes every
 * column. An update, replace or delete (queries, QuerySet update()/delete(),
 * bulkWrite) first reads what it would change, as a strict read, and raises
 * before sending anything when one document disagrees; an update may not
 * remove a model field (`$unset`, `$rename`).
 * A write (save, insertMany, bulkWrite, update, replace, delete) to a
 * collection that does not exist raises MigrationError telling you to run
 * `djongoose migrate`, and sends nothing; Model.init() creates neither the
 * collection nor indexes. Mixed and Map fields are not looked into.
 *
 * @example
 * ```ts
 * import { enforceSchema } from 'djongoose/plugins';
 * const blogSchema = new Schema({ name: String, tagline: String, description: String });
 * blogSchema.plugin(enforceSchema); // the connection's ENFORCE_SCHEMA decides
 * const Blog = conn.model('Blog', blogSchema);
 * const blog = (await Blog.findOne())!; // saved before description existed
 * blog.description; // null, and saving blog writes no description
 * blog.description = null;
 * await blog.save(); // stores description: null
 * (await Blog.findOne().lean())?.description; // null
 *
 * new Schema({ name: String }).plugin(enforceSchema, { strict: true }); // strict whatever ENFORCE_SCHEMA says
 * await Blog.find().setOptions({ enforceSchema: false }); // lax for this query only
 * ```
 */
export function enforceSchema(schema: Schema, options?: EnforceSchemaOptions): void {
  checkSameMongoose(schema, 'enforceSchema');
  markReadPlugin(schema);
  const pluginStrict = checkOptions(options);
  const modes = new WeakMap<object, boolean>();
  // What each hydrated document disagreed about when it was loaded, before
  // lax filling: a query's post hook, or hydrate(), raises from it when strict.
  const loaded = new WeakMap<object, Findings>();
  // Aggregation rows the aggregate hooks already enforced on are judged in
  // core/row-verdicts.ts: the error to raise when the row is hydrated or
  // handed out lean (a cursor transform has no error channel), or null when
  // a strict model's row passed, so that hydrate() does not check it again
  // (its annotations are not unknown fields).
  const overrides = new WeakMap<object, boolean>();
  // Hydrated documents of a lax model are only checked (not just filled)
  // while a query with `enforceSchema: true` on it is running: checking
  // every document costs about a quarter of hydration. A query leaves this
  // count at its first result, except a find with exactly one result, which
  // may be a cursor with more to come: that one stays counted, which only
  // costs checking time, never a missed check.
  let strictQueriesRunning = 0;
  const counted = new WeakSet<object>();
  // The `_doc` of the top-level documents the read hook has seen, but for
  // lax ones read without a projection (see inspectLoaded). Populate with
  // `clone: true` copies a populated document with Model.hydrate(doc._doc),
  // without the populate's projection: such a copy (while `cloning`) is not
  // checked or filled again; it is the document it copies. Adding to a
  // WeakSet costs about a microsecond a document, as much as the rest of
  // the plugin's work on a lax read.
  const seenDocs = new WeakSet<object>();
  let cloning = 0;

  function isStrict(model: AnyModel): boolean {
    let strict = modes.get(model);
    if (strict === undefined) {
      strict = pluginStrict ?? connectionSettings(model.db as Connection)?.enforceSchema ?? false;
      modes.set(model, strict);
    }
    return strict;
  }

  if (pluginStrict === true) {
    schema.set('autoCreate', false);
    schema.set('autoIndex', false);
  }

  // Model.init() (which compiling a model calls) emits the schema's 'init'
  // event, but a discriminator's schema is a merged copy that carries the
  // base's hooks and statics, not its listeners: a static reaches both.
  schema.static('init', function initEnforced(this: unknown) {
    const model = this as AnyModel;
    markReadPlugin(model.schema); // a discriminator's or a clone's merged schema too
    if (isStrict(model)) skipAutoCreate(model);
    watchNullAssignments(planOf(model.schema as object));
    return (mongoose.Model.init as (this: AnyModel) => Promise<void>).call(model);
  });

  // Reads.
  schema.pre('init', function inspectLoaded(this: Document, raw: Record<string, unknown>) {
    // A subdocument has the schema's hooks only when the plugin was applied
    // globally; the top-level document does the work for the whole tree.
    if (isSubdocument(this)) return;
    const model = this.constructor as AnyModel;
    const selected = selectedOf(this, selection);
    const fillOnly = strictQueriesRunning === 0 && !isStrict(model);
    // A lax document read whole is complete once filled: filling its clone
    // again finds nothing to do, so only the others need recognising.
    if (!fillOnly || !selectsEverything(selected)) {
      const own = documentValues(this);
      if (own) seenDocs.add(own);
    }
    if (cloning > 0) return;
    const plan = planOf(model.schema as object);
    if (fillOnly) return fillerOf(plan, 'hydrated')(raw, selected);
    const findings = inspect(raw, plan, { fill: 'hydrated', collect: true, selected });
    if (findings) loaded.set(this, findings);
  });
  // Model.hydrate() runs the 'init' hooks but no query hooks, so it raises
  // here what a query's post hook would. Queries do not call it (they
  // hydrate through Mongoose internals), so no document is checked twice;
  // populate's clones of a document already read are not checked again.
  schema.static('hydrate', function hydrateEnforced(this: unknown, obj: unknown, ...rest: unknown[]) {
    const model = this as AnyModel;
    if (obj !== null && typeof obj === 'object' && seenDocs.has(obj)) {
      cloning++; // 'init' hooks run synchronously, inside this call
      try {
        return (mongoose.Model.hydrate as (...args: unknown[]) => Document).call(model, obj, ...rest);
      } finally {
        cloning--;
      }
    }
    const verdict = obj !== null && typeof obj === 'object' ? rowVerdict(obj) : undefined;
    if (verdict) throw verdict;
    const doc = (mongoose.Model.hydrate as (...args: unknown[]) => Document).call(model, obj, ...rest);
    const findings = verdict === undefined && isStrict(model) ? loaded.get(doc) : undefined;
    if (findings) throw documentError(model.modelName, (doc as { _id?: unknown })._id, findings);
    return doc;
  });
  schema.pre([...READ_QUERIES], function takeReadOption(this: AnyQuery) {
    // Only hydrating queries count: the count makes 'init' check hydrated
    // documents, and a lean one (such as the strict writes' own read, a cursor
    // whose post hook never runs) would otherwise stay counted for good.
    const lean = Boolean(this.mongooseOptions().lean);
    if (takeQueryOption(this) === true && !lean && !isStrict(this.model as unknown as AnyModel)) {
      strictQueriesRunning++;
      counted.add(this);
    }
  });
  schema.post([...READ_QUERIES], function enforceOnResults(this: AnyQuery, result: unknown) {
    if (counted.has(this) && !(Array.isArray(result) && result.length === 1)) {
      counted.delete(this);
      strictQueriesRunning--;
    }
    enforceOnQueryResult(this, result);
  });
  schema.pre('aggregate', function prepareAggregate(this: Aggregate<unknown>) {
    const options = this.options as { enforceSchema?: unknown };
    const override = queryOverride(options.enforceSchema, 'aggregate');
    delete options.enforceSchema;
    if (override !== undefined) overrides.set(this, override);
    const shape = rowShape(this.pipeline() as unknown as Record<string, unknown>[]);
    if (!shape) return;
    const model = this.model() as unknown as AnyModel;
    addCursorTransform(this, rowJudge(model, shape, override ?? isStrict(model), isStrict(model)));
  });
  schema.post('aggregate', function enforceOnResultRows(this: Aggregate<unknown>, rows: unknown) {
    const shape = rowShape(this.pipeline() as unknown as Record<string, unknown>[]);
    if (!shape || !Array.isArray(rows)) return;
    const model = this.model() as unknown as AnyModel;
    enforceOnRows(model, rows, shape, overrides.get(this) ?? isStrict(model), isStrict(model));
  });

  // Writes.
  schema.pre('validate', function padNewDocument(this: Document) {
    if (!isSubdocument(this) && this.isNew && isStrict(this.constructor as AnyModel))
      pad(this, planOf(this.schema as object), '');
  });
  schema.pre('save', async function guardSave(this: Document) {
    if (isSubdocument(this)) return;
    markAssignedNulls(this);
    const model = this.constructor as AnyModel;
    if (!isStrict(model)) return;
    if (this.isNew) pad(this, planOf(model.schema as object), '');
    await guardCollection(model);
  });
  schema.pre('insertMany', async function guardInsertMany() {
    const model = this as unknown as AnyModel;
    if (isStrict(model)) await guardCollection(model);
  });
  schema.pre('bulkWrite', async function guardBulkWrite(ops: unknown, options: unknown) {
    const model = this as unknown as AnyModel;
    if (!isStrict(model)) return;
    await guardCollection(model);
    await checkBulkWrite(model, ops, options);
  });
  // Before any I/O: an update that would make documents disagree is refused,
  // and a replacement gets null in what it leaves out, as a strict save does.
  // Then the collection must exist, and what the write changes is read first.
  schema.pre([...UPDATES], QUERY_ONLY, function refuseDriftingUpdate(this: AnyQuery) {
    if (!strictQuery(this)) return;
    refuseDrift(this, this.model as unknown as AnyModel);
    padUpsertOf(this, this.model as unknown as AnyModel);
  });
  schema.pre([...REPLACEMENTS], QUERY_ONLY, function padReplacementDocument(this: AnyQuery) {
    if (strictQuery(this)) padReplacementOf(this, this.model as unknown as AnyModel);
  });
  schema.pre([...SINGLE_WRITES], QUERY_ONLY, async function guardWriteOne(this: AnyQuery) {
    if (strictQuery(this)) await guardQueryWrite(this, true);
  });
  schema.pre([...MULTI_WRITES], QUERY_ONLY, async function guardWriteMany(this: AnyQuery) {
    if (strictQuery(this)) await guardQueryWrite(this, false);
  });

  function strictQuery(query: AnyQuery): boolean {
    return takeQueryOption(query) ?? isStrict(query.model as unknown as AnyModel);
  }

  async function guardQueryWrite(query: AnyQuery, single: boolean): Promise<void> {
    const model = query.model as unknown as AnyModel;
    await guardCollection(model);
    await checkBeforeWrite(query, model, single);
  }

  function takeQueryOption(query: AnyQuery): boolean | undefined {
    if (overrides.has(query)) return overrides.get(query);
    // getOptions() is the query's own options object: the key is removed so
    // it never reaches the driver.
    const queryOptions = query.getOptions() as { enforceSchema?: unknown };
    if (!(ENFORCE_SCHEMA_OPTION in queryOptions)) return undefined;
    const override = queryOverride(queryOptions.enforceSchema, 'query');
    delete queryOptions.enforceSchema;
    if (override !== undefined) overrides.set(query, override);
    return override;
  }

  function enforceOnQueryResult(query: AnyQuery, result: unknown): void {
    if (result === null || result === undefined || typeof result !== 'object') return;
    const model = query.model as unknown as AnyModel;
    const strict = overrides.get(query) ?? isStrict(model);
    const docs: readonly unknown[] = Array.isArray(result)
      ? result
      : 'lastErrorObject' in result // includeResultMetadata
        ? [(result as { value?: unknown }).value]
        : [result];
    let selected: ((path: string) => boolean) | undefined | null = null;
    const isSelected = (path: string): boolean => {
      if (selected === null) selected = selection(query.projection());
      return selected === undefined || selected(path);
    };
    // Lax lean results are only filled: one compiled filler per model the results hold.
    const fillers = strict ? undefined : new Map<AnyModel, Fill>();
    for (const doc of docs) {
      if (doc === null || typeof doc !== 'object') continue;
      if (doc instanceof mongoose.Document) {
        const findings = strict ? loaded.get(doc) : undefined;
        if (findings) throw documentError(model.modelName, (doc as { _id?: unknown })._id, findings);
        continue;
      }
      const raw = doc as Record<string, unknown>;
      // A base model's lean results hold its discriminators' documents too.
      const own = discriminatorOf(model, raw);
      if (fillers) {
        let fill = fillers.get(own);
        if (!fill) fillers.set(own, (fill = fillerOf(planOf(own.schema as object), true)));
        if (selected === null) selected = selection(query.projection());
        fill(raw, selected);
        continue;
      }
      const findings = inspect(raw, planOf(own.schema as object), {
        fill: !strict,
        collect: strict,
        selected: isSelected,
      });
      if (findings) throw documentError(own.modelName, raw['_id'], findings);
    }
  }

  async function guardCollection(model: AnyModel): Promise<void> {
    const connection = model.db as Connection;
    if (!(await collectionExists(connection, model.collection.collectionName))) throw missingCollectionError(model);
  }
}
