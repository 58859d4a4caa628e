// What the field operations that reach inside embedded documents
// (`blog.description`, `comments.flag`) do to the database. Paths through
// embedded documents and nested objects run as one updateMany with a dotted
// key. Paths through an array of embedded documents use the positional
// updates where the server runs them (`comments.$[item].flag` with
// arrayFilters for AddField, `comments.$[].flag` for RemoveField) and
// otherwise write each element's change from djongoose (`comments.0.flag`),
// in batched compare-and-set bulkWrites. Every one is idempotent, as apply.ts's are.
import { mongo } from 'mongoose';
import { UnconvertibleValuesError } from '../../core/errors.js';
import { storedType } from '../drift.js';
import type { ApplyContext } from './context.js';
import { convertValue } from './convert.js';
import { assertRenamable, isInside, parentSteps, type PathStep } from './embedded.js';
import { describeOperation, type Operation } from './operations.js';
import type { ModelState } from './state.js';
import { rewriteInBatches } from './bulk.js';

/** The field operations, when they reach inside an embedded document. */
export type InsideOperation = Extract<Operation, { op: 'AddField' | 'RemoveField' | 'RenameField' | 'AlterField' }>;

/** What one ran: documents changed, and whether the server did the work or djongoose did, in batches. */
export interface InsideResult {
  readonly modified: number;
  readonly via: 'server' | 'batched';
}

type Doc = Record<string, unknown>;
/** The leaf-level writes one document needs, by dotted path with array indices (`comments.0.flag`). */
interface Changes {
  readonly $set: Doc;
  readonly $unset: Doc;
}
/** Records what the object holding the field (at dotted path `at`) needs. */
type Edit = (holder: Readonly<Doc>, at: string, changes: Changes) => void;

const SAMPLE = 5;
const isDocument = (value: unknown): value is Doc => storedType(value) === 'object';
const lastKey = (path: string): string => path.slice(path.lastIndexOf('.') + 1);

/**
 * The operation when it reaches inside an embedded document (a dotted name,
 * or an AlterField of a field holding documents whose type stays: only the
 * fields inside, its default or its required flag changed, nothing stored
 * changes); undefined for any other.
 *
 * @example
 * ```ts
 * reachesInside({ op: 'RemoveField', model: 'Entry', name: 'blog.tagline', field })?.op; // 'RemoveField'
 * ```
 */
export function reachesInside(op: Operation): InsideOperation | undefined {
  switch (op.op) {
    case 'AddField':
    case 'RemoveField':
      return isInside(op.name) ? op : undefined;
    case 'RenameField':
      return isInside(op.from) || isInside(op.to) ? op : undefined;
    case 'AlterField': {
      const container = op.from.type === op.to.type && (op.from.fields ?? op.to.fields) !== undefined;
      return isInside(op.name) || container ? op : undefined;
    }
    default:
      return undefined;
  }
}

/** Calls `edit` on every object at the end of `steps` inside `value`, each with its dotted path. */
function visit(value: unknown, steps: readonly PathStep[], depth: number, at: string, edit: Edit, changes: Changes) {
  if (!isDocument(value)) return;
  const step = steps[depth];
  if (!step) return edit(value, at, changes);
  const inner = value[step.key];
  const here = at === '' ? step.key : `${at}.${step.key}`;
  if (!step.array) return visit(inner, steps, depth + 1, here, edit, changes);
  if (Array.isArray(inner)) inner.forEach((item, i) => visit(item, steps, depth + 1, `${here}.${i}`, edit, changes));
}

/**
 * Writes each document's changes from djongoose, leaf by leaf (`comments.0.flag`):
 * a whole array written back would lose to FerretDB v1.24, whose $set keeps
 * a stored value that differs from the new one only in its keys. The filter
 * holds the value read, so a document changed since is left for the next run.
 */
async function batched(ctx: ApplyContext, label: string, model: ModelState, steps: readonly PathStep[], edit: Edit) {
  const top = steps[0]?.key ?? '';
  const collection = ctx.db.collection(model.collection);
  const filter = { [top]: { $exists: true } };
  const modified = await rewriteInBatches(ctx, collection, filter, { [top]: 1 }, label, (doc) => {
    const changes: Changes = { $set: {}, $unset: {} };
    visit(doc, steps, 0, '', edit, changes);
    const update = Object.fromEntries(Object.entries(changes).filter(([, paths]) => Object.keys(paths).length > 0));
    return Object.keys(update).length > 0
      ? { updateOne: { filter: { _id: doc['_id'], [top]: doc[top] }, update } }
      : undefined;
  });
  return { modified, via: 'batched' as const };
}

async function server(
  ctx: ApplyContext,
  label: string,
  model: ModelState,
  filter: mongo.Filter<mongo.Document>,
  update: mongo.UpdateFilter<mongo.Document>,
  options: mongo.UpdateOptions = {},
) {
  const target = ctx.db.collection(model.collection);
  // The collection's size, as apply.ts's serverUpdate: counting the filter would read it twice.
  const total = ctx.onProgress ? await target.estimatedDocumentCount() : 0;
  ctx.onProgress?.({ label, done: 0, total });
  const result = await target.updateMany(filter, update, options);
  ctx.onProgress?.({ label, done: total, total });
  return { modified: result.modifiedCount, via: 'server' as const };
}

/** A server's refusal of an update form (or of a document it cannot apply it to): the batched pass does the work. */
function refused(err: unknown): boolean {
  return err instanceof mongo.MongoServerError;
}

async function addField(ctx: ApplyContext, model: ModelState, op: Extract<Operation, { op: 'AddField' }>) {
  const label = describeOperation(op);
  const steps = parentSteps(model.fields, op.name, model.name);
  const leaf = lastKey(op.name);
  const parent = steps.map((step) => step.key).join('.');
  const arrays = steps.filter((step) => step.array).length;
  // A missing or null embedded document stays so: only objects get the field, as Mongoose would save them.
  if (arrays === 0)
    return server(
      ctx,
      label,
      model,
      { [parent]: { $type: 'object' }, [op.name]: { $exists: false } },
      {
        $set: { [op.name]: op.backfill },
      },
    );
  if (arrays === 1 && steps.at(-1)?.array) {
    // `$[item]` with a filter, not `$[]`: an element that has the field keeps its value, as a document does.
    try {
      return await server(
        ctx,
        label,
        model,
        { [parent]: { $elemMatch: { [leaf]: { $exists: false } } } },
        { $set: { [`${parent}.$[item].${leaf}`]: op.backfill } },
        { arrayFilters: [{ [`item.${leaf}`]: { $exists: false } }] },
      );
    } catch (err) {
      if (!refused(err)) throw err;
    }
  }
  return batched(ctx, label, model, steps, (holder, at, changes) => {
    if (!(leaf in holder)) changes.$set[`${at}.${leaf}`] = op.backfill;
  });
}

async function removeField(ctx: ApplyContext, model: ModelState, op: Extract<Operation, { op: 'RemoveField' }>) {
  const label = describeOperation(op);
  const steps = parentSteps(model.fields, op.name, model.name);
  const leaf = lastKey(op.name);
  const filter = { [op.name]: { $exists: true } };
  if (!steps.some((step) => step.array)) return server(ctx, label, model, filter, { $unset: { [op.name]: '' } });
  const all = [...steps.map((step) => (step.array ? `${step.key}.$[]` : step.key)), leaf].join('.');
  try {
    const result = await server(ctx, label, model, filter, { $unset: { [all]: '' } });
    // FerretDB v1.24 accepts `$[]` in $unset and changes nothing: what is left goes to the batched pass.
    if ((await ctx.db.collection(model.collection).countDocuments(filter, { limit: 1 })) === 0) return result;
  } catch (err) {
    if (!refused(err)) throw err;
  }
  return batched(ctx, label, model, steps, (holder, at, changes) => {
    if (leaf in holder) changes.$unset[`${at}.${leaf}`] = '';
  });
}

async function renameField(ctx: ApplyContext, model: ModelState, op: Extract<Operation, { op: 'RenameField' }>) {
  const label = describeOperation(op);
  const steps = parentSteps(model.fields, op.from, model.name);
  const crossesArray = steps.some((step) => step.array);
  const [from, to] = [lastKey(op.from), lastKey(op.to)];
  if (!crossesArray) {
    const filter = { [op.from]: { $exists: true }, [op.to]: { $exists: false } };
    return server(ctx, label, model, filter, { $rename: { [op.from]: op.to } });
  }
  assertRenamable(model.fields, op.from, op.to, model.name);
  // MongoDB's $rename does not reach into arrays: each document's array is rewritten.
  return batched(ctx, label, model, steps, (holder, at, changes) => {
    if (!(from in holder) || to in holder) return;
    changes.$set[`${at}.${to}`] = holder[from];
    changes.$unset[`${at}.${from}`] = '';
  });
}

async function alterField(ctx: ApplyContext, model: ModelState, op: Extract<Operation, { op: 'AlterField' }>) {
  // The same type (fields inside, a default, the required flag): the stored values stay as they are.
  if (op.from.type === op.to.type) return { modified: 0, via: 'server' as const };
  const steps = parentSteps(model.fields, op.name, model.name);
  const leaf = lastKey(op.name);
  let failed = 0;
  const sample: unknown[] = [];
  // First pass: count what cannot convert; nothing is written when anything cannot.
  const top = steps[0]?.key ?? '';
  for await (const doc of ctx.db
    .collection(model.collection)
    .find({ [op.name]: { $exists: true } }, { projection: { [top]: 1 } })) {
    const count: Edit = (holder) => {
      if (!(leaf in holder) || convertValue(holder[leaf], op.to.type).ok) return;
      failed++;
      if (sample.length < SAMPLE && !sample.includes(doc['_id'])) sample.push(doc['_id']);
    };
    visit(doc, steps, 0, '', count, { $set: {}, $unset: {} });
  }
  if (failed > 0) {
    throw new UnconvertibleValuesError(
      `${model.name}.${op.name}: ${failed} stored value${failed === 1 ? '' : 's'} cannot convert from ${op.from.type} ` +
        `to ${op.to.type} (_ids: ${sample.map(String).join(', ')}). Nothing was written; fix those documents ` +
        '(or unset the field), then migrate again.',
      model.name,
      failed,
      sample,
    );
  }
  return batched(ctx, describeOperation(op), model, steps, (holder, at, changes) => {
    if (!(leaf in holder)) return;
    const converted = convertValue(holder[leaf], op.to.type);
    if (converted.ok && converted.value !== holder[leaf]) changes.$set[`${at}.${leaf}`] = converted.value;
  });
}

/**
 * Runs a field operation that reaches inside embedded documents, on the
 * model's collection as `model` (the state before the operation) records it.
 *
 * @example
 * ```ts
 * await applyInside({ op: 'AddField', model: 'Entry', name: 'blog.description', field, backfill: '' }, entry, ctx);
 * // { modified: 2, via: 'server' }: updateMany({ blog: { $type: 'object' }, 'blog.description': { $exists: false } }, …)
 * ```
 */
export async function applyInside(op: InsideOperation, model: ModelState, ctx: ApplyContext): Promise<InsideResult> {
  switch (op.op) {
    case 'AddField':
      return addField(ctx, model, op);
    case 'RemoveField':
      return removeField(ctx, model, op);
    case 'RenameField':
      return renameField(ctx, model, op);
    case 'AlterField':
      return alterField(ctx, model, op);
  }
}
