// The user's models, from the module given as --models. Two shapes are
// accepted, checked before the CLI connects:
//   - a function `models(conn)` (a named export `models`, or the default
//     export) that registers the models on the CLI's connection and returns
//     them as a model, a list or an object of them, possibly through a Promise;
//   - exported models (`export const Entry = model('Entry', schema)`, or a
//     default export object of them), registered again on the CLI's connection
//     under their name and collection, with the same schema (plugins included).
import type { Connection } from 'mongoose';
import { ImproperlyConfigured } from '../core/errors.js';
import { didYouMean } from '../core/closest.js';
import type { CommandModel } from './models.js';

/** A models factory, as a models module exports it. */
export type ModelsFactory = (conn: Connection) => unknown;

/** What a models module offers, before any connection exists. */
export interface ModelsModule {
  readonly file: string;
  readonly factory?: ModelsFactory;
  readonly models: readonly CommandModel[];
}

function isModel(value: unknown): value is CommandModel {
  if (typeof value !== 'function') return false;
  const candidate = value as unknown as Partial<CommandModel>;
  return (
    typeof candidate.modelName === 'string' &&
    typeof candidate.schema?.eachPath === 'function' &&
    typeof candidate.collection?.collectionName === 'string'
  );
}

function modelsIn(value: unknown): CommandModel[] {
  if (isModel(value)) return [value];
  if (Array.isArray(value)) return value.filter(isModel);
  if (typeof value === 'object' && value !== null) return Object.values(value).filter(isModel);
  return [];
}

/**
 * Sorts a models module's exports into a factory and models, and refuses a
 * module that offers neither.
 *
 * @example
 * ```ts
 * inspectModelsModule(await import('./dist/models.js'), './dist/models.js'); // { file, models: [Entry, Blog] }
 * ```
 */
export function inspectModelsModule(exports: Readonly<Record<string, unknown>>, file: string): ModelsModule {
  const named = exports['models'];
  const fallback = exports['default'];
  const factory =
    typeof named === 'function' && !isModel(named)
      ? named
      : typeof fallback === 'function' && !isModel(fallback)
        ? fallback
        : undefined;
  const models = [...new Set(Object.values(exports).flatMap(modelsIn))];
  if (!factory && models.length === 0) {
    const names = Object.keys(exports);
    throw new ImproperlyConfigured(
      `The models module ${JSON.stringify(file)} exports no Mongoose models (its exports: ${names.join(', ') || 'none'}). ` +
        "Export the models (export const Entry = model('Entry', entrySchema)), an object of them as the default " +
        'export, or a function models(conn) that registers them on the given connection and returns them.',
    );
  }
  return { file, models, ...(factory ? { factory: factory as ModelsFactory } : {}) };
}

/** `model`, registered on `conn` under its own name and collection, unless it is there already. */
function rebind(conn: Connection, model: CommandModel): CommandModel {
  const registered = conn.models[model.modelName] as CommandModel | undefined;
  if (registered) return registered;
  return conn.model(model.modelName, model.schema, model.collection.collectionName);
}

/**
 * The models of a module, on the CLI's connection, optionally only those
 * named in `only`. Raises {@link ImproperlyConfigured} when there are none,
 * or when `only` names a model the module does not have.
 *
 * @example
 * ```ts
 * const models = await bindModels(inspectModelsModule(exports, file), conn, ['Entry']);
 * ```
 */
export async function bindModels(
  module: ModelsModule,
  conn: Connection,
  only: readonly string[] = [],
): Promise<CommandModel[]> {
  let models = module.models.map((model) => rebind(conn, model));
  if (module.factory) {
    let made: unknown;
    try {
      made = await module.factory(conn);
    } catch (err) {
      const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      throw new ImproperlyConfigured(`The models(conn) function of ${JSON.stringify(module.file)} failed: ${reason}`, {
        cause: err,
      });
    }
    models = [...new Set([...modelsIn(made), ...models])];
  }
  if (models.length === 0) {
    throw new ImproperlyConfigured(
      `The models(conn) function of ${JSON.stringify(module.file)} returned no models; return a model, a list or an object of them.`,
    );
  }
  if (only.length === 0) return models;
  const names = models.map((model) => model.modelName);
  for (const name of only) {
    if (!names.includes(name)) {
      throw new ImproperlyConfigured(
        `--model ${JSON.stringify(name)} is not a model of ${JSON.stringify(module.file)}; its models are ${names.join(', ')}.` +
          didYouMean(name, names),
      );
    }
  }
  return models.filter((model) => only.includes(model.modelName));
}
