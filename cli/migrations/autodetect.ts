// The autodetector: the state the migration files build up, against the
// state of the loaded models, as the operations that take one to the other.
// Questions (a rename? a value for a required field?) go to a Questioner:
// answered from --rename, --default and --yes, or asked on a terminal.
import { AnswerRequired } from '../../core/errors.js';
import type { Operation } from './operations.js';
import { sameIndex } from './indexes.js';
import type { FieldState, ModelState, ProjectState, StoredValue } from './state.js';

/** Answers the autodetector's questions. */
export interface Questioner {
  /** Whether `from` on `model` was renamed to `to` (both of one type). */
  askRename(model: string, from: string, to: string): Promise<boolean>;
  /** The value for documents that lack a required field without a default; undefined: none given. */
  askDefault(model: string, field: string, state: FieldState): Promise<StoredValue | undefined>;
}

function sameField(a: FieldState, b: FieldState): boolean {
  return a.type === b.type && a.required === b.required && JSON.stringify(a.default) === JSON.stringify(b.default);
}

async function backfillFor(model: string, name: string, field: FieldState, ask: Questioner): Promise<StoredValue> {
  if (field.default !== undefined) return field.default;
  if (!field.required) return null;
  const answer = await ask.askDefault(model, name, field);
  if (answer !== undefined) return answer;
  throw new AnswerRequired(
    `${model}.${name} is required and has no default, so the stored documents need a value: pass --default ` +
      `${name}=<value>, or give the field a default, or make it optional. Nothing was written.`,
  );
}

type Fields = ModelState['fields'];

/**
 * A field kept (or renamed) at `path`: its own change, then the changes
 * inside when it holds documents both before and after. A container's
 * AlterField keeps the old fields inside, so the operations after it
 * (AddField `blog.description`, …) take the state the rest of the way.
 */
async function keptField(model: string, path: string, old: FieldState, now: FieldState, ask: Questioner) {
  const ops: Operation[] = [];
  if (old.fields && now.fields && old.type === now.type) {
    if (!sameField(old, now))
      ops.push({ op: 'AlterField', model, name: path, from: old, to: { ...now, fields: old.fields } });
    ops.push(...(await levelOperations(model, old.fields, now.fields, `${path}.`, undefined, ask)));
  } else if (!sameField(old, now) || JSON.stringify(old.fields) !== JSON.stringify(now.fields)) {
    // A type change, or fields inside that the old state did not record (a file written before they were).
    ops.push({ op: 'AlterField', model, name: path, from: old, to: now });
  }
  return ops;
}

/** The operations between two levels of fields: the document's (prefix ''), or an embedded one's (`blog.`). */
async function levelOperations(
  model: string,
  from: Fields,
  to: Fields,
  prefix: string,
  skip: string | undefined,
  ask: Questioner,
): Promise<Operation[]> {
  const ops: Operation[] = [];
  let removed = Object.entries(from).filter(([name]) => !(name in to));
  const added = Object.entries(to).filter(([name]) => !(name in from) && name !== skip);
  for (const [key, field] of added) {
    const name = prefix + key;
    const rename = removed.find(([, old]) => old.type === field.type);
    if (rename && (await ask.askRename(model, prefix + rename[0], name))) {
      removed = removed.filter((entry) => entry !== rename);
      ops.push({ op: 'RenameField', model, from: prefix + rename[0], to: name });
      ops.push(...(await keptField(model, name, rename[1], field, ask)));
      continue;
    }
    ops.push({ op: 'AddField', model, name, field, backfill: await backfillFor(model, name, field, ask) });
  }
  for (const [key, field] of removed) ops.push({ op: 'RemoveField', model, name: prefix + key, field });
  for (const [key, field] of Object.entries(to)) {
    const old = from[key];
    if (old) ops.push(...(await keptField(model, prefix + key, old, field, ask)));
  }
  return ops;
}

async function fieldOperations(from: ModelState, to: ModelState, ask: Questioner): Promise<Operation[]> {
  const skip = to.autoField && !from.autoField ? to.autoField : undefined;
  const ops = await levelOperations(to.name, from.fields, to.fields, '', skip, ask);
  if (to.autoField && from.autoField !== to.autoField) {
    if (from.autoField) ops.push({ op: 'RemoveAutoIncrement', model: to.name, field: from.autoField });
    const field = to.fields[to.autoField];
    // The ids come from the counter (AddAutoIncrement numbers the documents), not from a backfill.
    if (field && !(to.autoField in from.fields))
      ops.push({ op: 'AddField', model: to.name, name: to.autoField, field, backfill: null });
    ops.push({ op: 'AddAutoIncrement', model: to.name, field: to.autoField });
  } else if (from.autoField && !to.autoField) {
    ops.push({ op: 'RemoveAutoIncrement', model: to.name, field: from.autoField });
  }
  return ops;
}

function indexOperations(from: ModelState, to: ModelState): Operation[] {
  const ops: Operation[] = [];
  const before = new Map(from.indexes.map((index) => [index.name, index]));
  const after = new Map(to.indexes.map((index) => [index.name, index]));
  for (const [name, index] of before) {
    const now = after.get(name);
    if (!now || !sameIndex(index, now)) ops.push({ op: 'RemoveIndex', model: to.name, index });
  }
  for (const [name, index] of after) {
    const old = before.get(name);
    if (!old || !sameIndex(old, index)) ops.push({ op: 'AddIndex', model: to.name, index });
    else if (old.unique !== index.unique) ops.push({ op: 'AlterUnique', model: to.name, index });
  }
  return ops;
}

function sameShape(a: ModelState, b: ModelState): boolean {
  return (
    JSON.stringify(a.fields) === JSON.stringify(b.fields) && JSON.stringify(a.indexes) === JSON.stringify(b.indexes)
  );
}

/**
 * The operations that take the project from state `from` (the migration
 * files) to state `to` (the models): models created, renamed (same fields,
 * new name, when the questioner agrees) and deleted, then per model its
 * fields, auto field and indexes. An empty list: no changes.
 *
 * @example
 * ```ts
 * await autodetect(fromFiles, stateOfModels({ Blog }), questioner);
 * // [{ op: 'AddField', model: 'Blog', name: 'description', field: { type: 'String', required: false, default: '' }, backfill: '' }]
 * ```
 */
export async function autodetect(from: ProjectState, to: ProjectState, ask: Questioner): Promise<Operation[]> {
  const ops: Operation[] = [];
  const gone = Object.values(from).filter((model) => !(model.name in to));
  const renamed = new Set<ModelState>();
  for (const model of Object.values(to)) {
    if (model.name in from) continue;
    const old = gone.find((g) => !renamed.has(g) && sameShape(g, model));
    if (old && (await ask.askRename('models', old.name, model.name))) {
      renamed.add(old);
      ops.push({ op: 'RenameModel', from: old.name, to: model.name, collection: model.collection });
    } else {
      ops.push({ op: 'CreateModel', model });
    }
  }
  for (const model of Object.values(to)) {
    const old = from[model.name];
    if (!old) continue;
    if (old.collection !== model.collection)
      ops.push({ op: 'RenameModel', from: model.name, to: model.name, collection: model.collection });
    ops.push(...(await fieldOperations(old, model, ask)), ...indexOperations(old, model));
  }
  for (const model of gone) if (!renamed.has(model)) ops.push({ op: 'DeleteModel', model });
  return ops;
}
