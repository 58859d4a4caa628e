// djongo's `Entry.objects.mongo_aggregate([...])`. No list of method names: the
// types come from the driver's declarations and the runtime asks the collection
// object, so a driver upgrade that adds a method adds its `mongo_*` name too.
import mongoose, { type mongo } from 'mongoose';
import { closest } from '../core/closest.js';
import { UnknownMongoMethod } from '../core/errors.js';

/**
 * `'findOneAndUpdate'` → `'find_one_and_update'`, at the type level.
 *
 * @example
 * ```ts
 * const name: SnakeCase<'estimatedDocumentCount'> = 'estimated_document_count';
 * ```
 */
export type SnakeCase<S extends string> = Snake<S, ''>;
// The accumulator makes this a tail call, which TS evaluates without nesting per character.
type Snake<S extends string, Done extends string> = S extends `${infer C}${infer Rest}`
  ? Snake<Rest, `${Done}${C extends Lowercase<C> ? C : `_${Lowercase<C>}`}`>
  : Done;

type Method = (...args: never) => unknown;

/**
 * The driver `Collection<T>` members that are methods (not getters such as `collectionName`).
 *
 * @example
 * ```ts
 * const name: CollectionMethodName<{ headline: string }> = 'insertOne';
 * ```
 */
export type CollectionMethodName<T extends mongo.Document> = {
  [K in keyof mongo.Collection<T>]-?: mongo.Collection<T>[K] extends Method ? K : never;
}[keyof mongo.Collection<T>];

/**
 * Every driver `Collection<T>` method as `mongo_<snake_case>`, with the
 * driver's own parameter and result types, overloads included.
 *
 * @example
 * ```ts
 * import type { mongo } from 'mongoose';
 * declare const p: MongoPassthrough<{ headline: string }>;
 * const r: Promise<mongo.InsertOneResult<{ headline: string }>> = p.mongo_insert_one({ headline: 'Hey Jude' });
 * ```
 */
export type MongoPassthrough<T extends mongo.Document> = {
  readonly [K in CollectionMethodName<T> as `mongo_${SnakeCase<K & string>}`]: mongo.Collection<T>[K];
};

const PREFIX = 'mongo_';
// Segments after the first start with a letter, so every accepted name maps
// back to itself: `mongo_find_2` would become `find2`, whose name is `mongo_find2`.
const SNAKE = /^mongo_([a-z][a-z0-9]*(?:_[a-z][a-z0-9]*)*)$/;

/**
 * The driver method name for a `mongo_<snake_case>` name, or undefined when the
 * name is not `mongo_` followed by lowercase snake_case.
 *
 * @example
 * ```ts
 * driverMethodName('mongo_find_one_and_update'); // 'findOneAndUpdate'
 * driverMethodName('mongo_Find'); // undefined
 * ```
 */
export function driverMethodName(snake: string): string | undefined {
  return SNAKE.exec(snake)?.[1]?.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

// Object.prototype's members (constructor, toString, hasOwnProperty, …) are on
// every collection's chain but are not driver methods.
function methodOf(collection: object, name: string): ((...args: unknown[]) => unknown) | undefined {
  const value: unknown = name in Object.prototype ? undefined : (collection as Record<string, unknown>)[name];
  return typeof value === 'function' ? (value as (...args: unknown[]) => unknown) : undefined;
}

/** Every method on the collection's prototype chain, snake_cased: `find_one_and_update`. */
function snakeMethodNames(collection: object): string[] {
  const names = new Set<string>();
  for (let o: object | null = collection; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (methodOf(collection, name)) names.add(name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
    }
  }
  return [...names].sort();
}

function unknownMethod(attempted: string, driverMethod: string | undefined, collection: object): UnknownMongoMethod {
  const choices = snakeMethodNames(collection);
  const left = new Set(choices);
  const suggestions: string[] = [];
  while (suggestions.length < 3) {
    // Without the shared prefix, so closest()'s typo threshold scales with the part that differs.
    const near = closest(attempted.slice(PREFIX.length), left);
    if (near === undefined) break;
    suggestions.push(PREFIX + near);
    left.delete(near);
  }
  const why =
    driverMethod === undefined
      ? 'it is not "mongo_" followed by a lowercase snake_case method name'
      : `the driver's Collection has no method ${driverMethod}()`;
  const hint =
    suggestions.length > 0
      ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?`
      : ` Choices are: ${choices.map((n) => PREFIX + n).join(', ')}.`;
  const message = `Unknown MongoDB passthrough "${attempted}": ${why}.${hint}`;
  return new UnknownMongoMethod(message, attempted, driverMethod, suggestions);
}

/**
 * djongo's `mongo_*` passthrough over a driver collection: `mongo_aggregate`
 * calls `collection.aggregate`, bound to it. `getCollection` is called on each
 * access, so the passthrough can be made before the connection is open. Other
 * properties read as undefined (so `await`, spread and `Object.keys` see a
 * plain empty object); an unknown `mongo_*` name throws UnknownMongoMethod
 * before anything is sent.
 *
 * @example
 * ```ts
 * const objects = mongoPassthrough(() => conn.db!.collection<EntryDoc>('entry'));
 * const docs = await objects.mongo_aggregate([{ $match: { headline: 'Hey Jude' } }]).toArray();
 * ```
 */
export function mongoPassthrough<T extends mongo.Document>(
  getCollection: () => mongo.Collection<T>,
): MongoPassthrough<T> {
  return new Proxy({} as MongoPassthrough<T>, {
    get(_target, key) {
      if (typeof key !== 'string' || !key.startsWith(PREFIX)) return undefined;
      return driverMethod(getCollection(), key);
    },
    has(_target, key) {
      const name = typeof key === 'string' ? driverMethodName(key) : undefined;
      return name !== undefined && methodOf(getCollection(), name) !== undefined;
    },
  });
}

/** `collection[name]` bound to it, for `mongo_<snake_name>`; else UnknownMongoMethod. */
function driverMethod(collection: object, key: string): (...args: unknown[]) => unknown {
  const name = driverMethodName(key);
  const method = name === undefined ? undefined : methodOf(collection, name);
  if (method === undefined) throw unknownMethod(key, name, collection);
  return method.bind(collection);
}

/**
 * A prototype that answers the `mongo_*` reads its inheritors do not define,
 * from the collection `collectionOf(receiver)` gives. Placed at the end of a
 * class's prototype chain, it is reached only by names the class lacks, so
 * the class's own methods are read at full speed (a Proxy around each
 * instance would trap every read). `in` asks the driver's Collection class,
 * as it is given no receiver.
 *
 * @example
 * ```ts
 * Object.setPrototypeOf(MyManager.prototype, passthroughPrototype((m) => (m as MyManager).collection));
 * ```
 */
export function passthroughPrototype(collectionOf: (receiver: object) => object): object {
  return new Proxy(Object.create(Object.prototype) as object, {
    get(target, key, receiver: object) {
      if (typeof key !== 'string' || !key.startsWith(PREFIX)) return Reflect.get(target, key, receiver) as unknown;
      return driverMethod(collectionOf(receiver), key);
    },
    has(target, key) {
      if (typeof key !== 'string' || !key.startsWith(PREFIX)) return Reflect.has(target, key);
      const name = driverMethodName(key);
      return name !== undefined && methodOf(mongoose.mongo.Collection.prototype, name) !== undefined;
    },
  });
}
