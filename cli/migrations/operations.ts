// The operations a migration holds: plain data, written into migration files
// as object literals, so a file reads (and edits) like Django's. Each knows
// what it does to the project state (stateForwards) and what undoes it
// (reverseOf); what it does to the database is in apply.ts.
import type { mongo } from 'mongoose';
import { ImproperlyConfigured } from '../../core/errors.js';
import { isInside, removeField, renameField, setField } from './embedded.js';
import { describeIndexOptions } from './indexes.js';
import type { FieldState, IndexState, ModelState, ProjectState, StoredValue } from './state.js';

/** What a RunScript's functions get: the database, Django's `apps, schema_editor`. */
export interface ScriptContext {
  readonly db: mongo.Db;
}

/** One step of a migration; `op` names it, as Django's operation classes do. */
export type Operation =
  | { readonly op: 'CreateModel'; readonly model: ModelState }
  | { readonly op: 'DeleteModel'; readonly model: ModelState }
  | { readonly op: 'RenameModel'; readonly from: string; readonly to: string; readonly collection: string }
  | {
      readonly op: 'AddField';
      readonly model: string;
      readonly name: string;
      readonly field: FieldState;
      /** Written to the stored documents that lack the field: the default, `--default`, or null. */
      readonly backfill: StoredValue;
    }
  | { readonly op: 'RemoveField'; readonly model: string; readonly name: string; readonly field: FieldState }
  | { readonly op: 'RenameField'; readonly model: string; readonly from: string; readonly to: string }
  | {
      readonly op: 'AlterField';
      readonly model: string;
      readonly name: string;
      readonly from: FieldState;
      readonly to: FieldState;
    }
  | { readonly op: 'AddIndex'; readonly model: string; readonly index: IndexState }
  | { readonly op: 'RemoveIndex'; readonly model: string; readonly index: IndexState }
  | { readonly op: 'AlterUnique'; readonly model: string; readonly index: IndexState }
  | { readonly op: 'AddAutoIncrement'; readonly model: string; readonly field: string }
  | { readonly op: 'RemoveAutoIncrement'; readonly model: string; readonly field: string }
  | {
      readonly op: 'RunScript';
      readonly description?: string;
      readonly up: (context: ScriptContext) => Promise<void> | void;
      /** Absent: the migration cannot be reversed past this step. */
      readonly down?: (context: ScriptContext) => Promise<void> | void;
    };

/** The names of the operations. */
export type OperationName = Operation['op'];

/** A migration file's default export. */
export interface Migration {
  /** The migrations of this folder it comes after (Django's `dependencies`). */
  readonly dependencies: readonly string[];
  /** Whether `--fake-initial` may record it without running when its collections exist. */
  readonly initial?: boolean;
  readonly operations: readonly Operation[];
}

/**
 * A migration, typed: the identity function that makes a migration file's
 * literal checked against {@link Operation}.
 *
 * @example
 * ```ts
 * export default defineMigration({
 *   dependencies: ['0001_initial'],
 *   operations: [{ op: 'RemoveField', model: 'Blog', name: 'tagline', field: { type: 'String', required: false } }],
 * });
 * ```
 */
export function defineMigration(migration: Migration): Migration {
  return migration;
}

function modelOf(state: ProjectState, name: string): ModelState {
  const model = state[name];
  if (!model) {
    const known = Object.keys(state).map((n) => JSON.stringify(n));
    throw new ImproperlyConfigured(
      `The migrations name a model ${JSON.stringify(name)} that no earlier migration creates. ` +
        `Models the earlier migrations create: ${known.length > 0 ? known.join(', ') : 'none'}.`,
    );
  }
  return model;
}

function withModel(state: ProjectState, model: ModelState): ProjectState {
  return Object.freeze({ ...state, [model.name]: Object.freeze(model) });
}

function without<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([name]) => name !== key));
}

/**
 * The project state after `operation`: a new frozen state, the old one unchanged.
 *
 * @example
 * ```ts
 * stateForwards({}, { op: 'CreateModel', model: blogState }); // { Blog: blogState }
 * ```
 */
export function stateForwards(state: ProjectState, operation: Operation): ProjectState {
  switch (operation.op) {
    case 'CreateModel':
      return withModel(state, operation.model);
    case 'DeleteModel':
      return Object.freeze(without(state, operation.model.name));
    case 'RenameModel': {
      const model = modelOf(state, operation.from);
      return withModel(without(state, operation.from), {
        ...model,
        name: operation.to,
        collection: operation.collection,
      });
    }
    case 'AddField':
    case 'AlterField': {
      const model = modelOf(state, operation.model);
      const field = operation.op === 'AddField' ? operation.field : operation.to;
      if (isInside(operation.name))
        return withModel(state, { ...model, fields: setField(model.fields, operation.name, field, model.name) });
      return withModel(state, { ...model, fields: { ...model.fields, [operation.name]: field } });
    }
    case 'RemoveField': {
      const model = modelOf(state, operation.model);
      if (isInside(operation.name))
        return withModel(state, { ...model, fields: removeField(model.fields, operation.name, model.name) });
      return withModel(state, { ...model, fields: without(model.fields, operation.name) });
    }
    case 'RenameField': {
      const model = modelOf(state, operation.model);
      if (isInside(operation.from) || isInside(operation.to)) {
        const fields = renameField(model.fields, operation.from, operation.to, model.name);
        return withModel(state, { ...model, fields });
      }
      const fields = Object.fromEntries(
        Object.entries(model.fields).map(([key, field]) => [key === operation.from ? operation.to : key, field]),
      );
      return withModel(state, { ...model, fields });
    }
    case 'AddIndex':
    case 'AlterUnique': {
      const model = modelOf(state, operation.model);
      const others = model.indexes.filter((index) => index.name !== operation.index.name);
      return withModel(state, { ...model, indexes: [...others, operation.index] });
    }
    case 'RemoveIndex': {
      const model = modelOf(state, operation.model);
      return withModel(state, { ...model, indexes: model.indexes.filter((i) => i.name !== operation.index.name) });
    }
    case 'AddAutoIncrement':
      return withModel(state, { ...modelOf(state, operation.model), autoField: operation.field });
    case 'RemoveAutoIncrement': {
      const model = modelOf(state, operation.model);
      return withModel(state, {
        name: model.name,
        collection: model.collection,
        fields: model.fields,
        indexes: model.indexes,
      });
    }
    case 'RunScript':
      return state;
  }
}

/**
 * What undoes `operation`, given the state before it; undefined for a
 * RunScript without `down` (irreversible, as Django's RunPython without
 * reverse_code).
 *
 * @example
 * ```ts
 * reverseOf({ op: 'RenameField', model: 'Blog', from: 'title', to: 'name' }, state);
 * // { op: 'RenameField', model: 'Blog', from: 'name', to: 'title' }
 * ```
 */
export function reverseOf(operation: Operation, before: ProjectState): Operation | undefined {
  switch (operation.op) {
    case 'CreateModel':
      return { op: 'DeleteModel', model: operation.model };
    case 'DeleteModel':
      return { op: 'CreateModel', model: operation.model };
    case 'RenameModel': {
      const collection = modelOf(before, operation.from).collection;
      return { op: 'RenameModel', from: operation.to, to: operation.from, collection };
    }
    case 'AddField':
      return { op: 'RemoveField', model: operation.model, name: operation.name, field: operation.field };
    case 'RemoveField':
      return {
        op: 'AddField',
        model: operation.model,
        name: operation.name,
        field: operation.field,
        backfill: operation.field.default ?? null,
      };
    case 'RenameField':
      return { op: 'RenameField', model: operation.model, from: operation.to, to: operation.from };
    case 'AlterField':
      return { op: 'AlterField', model: operation.model, name: operation.name, from: operation.to, to: operation.from };
    case 'AddIndex':
      return { op: 'RemoveIndex', model: operation.model, index: operation.index };
    case 'RemoveIndex':
      return { op: 'AddIndex', model: operation.model, index: operation.index };
    case 'AlterUnique': {
      const old = modelOf(before, operation.model).indexes.find((i) => i.name === operation.index.name);
      return old ? { op: 'AlterUnique', model: operation.model, index: old } : undefined;
    }
    case 'AddAutoIncrement':
      return { op: 'RemoveAutoIncrement', model: operation.model, field: operation.field };
    case 'RemoveAutoIncrement':
      return { op: 'AddAutoIncrement', model: operation.model, field: operation.field };
    case 'RunScript':
      return operation.down ? { op: 'RunScript', up: operation.down, down: operation.up } : undefined;
  }
}

/**
 * One line saying what an operation does, for `--plan` and the summary.
 *
 * @example
 * ```ts
 * describeOperation({ op: 'RenameField', model: 'Blog', from: 'title', to: 'name' }); // 'Rename field title on Blog to name'
 * ```
 */
export function describeOperation(operation: Operation): string {
  switch (operation.op) {
    case 'CreateModel':
      return `Create model ${operation.model.name}`;
    case 'DeleteModel':
      return `Delete model ${operation.model.name}`;
    case 'RenameModel':
      return `Rename model ${operation.from} to ${operation.to}`;
    case 'AddField':
      return `Add field ${operation.name} to ${operation.model}`;
    case 'RemoveField':
      return `Remove field ${operation.name} from ${operation.model}`;
    case 'RenameField':
      return `Rename field ${operation.from} on ${operation.model} to ${operation.to}`;
    case 'AlterField':
      return `Alter field ${operation.name} on ${operation.model} (${operation.from.type} → ${operation.to.type})`;
    case 'AddIndex':
      return `Create index ${operation.index.name} on ${operation.model}${describeIndexOptions(operation.index)}`;
    case 'RemoveIndex':
      return `Remove index ${operation.index.name} from ${operation.model}`;
    case 'AlterUnique':
      return `Alter unique of ${operation.index.name} on ${operation.model} (${operation.index.unique ? 'unique' : 'not unique'})`;
    case 'AddAutoIncrement':
      return `Add auto-increment ${operation.field} to ${operation.model}`;
    case 'RemoveAutoIncrement':
      return `Remove auto-increment ${operation.field} from ${operation.model}`;
    case 'RunScript':
      return `Run script${operation.description ? `: ${operation.description}` : ''}`;
  }
}
