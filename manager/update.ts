// MongoEngine-style update keys (`inc__views`, `set__blog__name`, bare key =
// set) and F arithmetic, compiled into a MongoDB update document. Mongoose's
// updateMany then casts the values by the schema, as for any update.
import { FieldError } from '../core/errors.js';
import { didYouMean } from '../core/closest.js';
import { FExpression } from './q.js';
import { fieldExpression, type CompileScope } from './compile.js';
import { resolveKey } from './resolve.js';

/** The update keys, each with how it writes `(path, value)` into the update. */
const UPDATE_OPERATORS: Record<string, (value: unknown, label: string) => [operator: string, value: unknown]> = {
  set: (v) => ['$set', v],
  unset: () => ['$unset', ''],
  inc: (v) => ['$inc', v],
  dec: (v, label) => ['$inc', negate(v, label)],
  mul: (v) => ['$mul', v],
  min: (v) => ['$min', v],
  max: (v) => ['$max', v],
  pop: (v, label) => {
    if (v !== 1 && v !== -1) throw new FieldError(`pop__${label} takes 1 (last element) or -1 (first element).`);
    return ['$pop', v];
  },
  push: (v) => ['$push', v],
  push_all: (v, label) => ['$push', { $each: asList(v, `push_all__${label}`) }],
  pull: (v) => ['$pull', v],
  pull_all: (v, label) => ['$pullAll', asList(v, `pull_all__${label}`)],
  add_to_set: (v) => ['$addToSet', Array.isArray(v) ? { $each: v } : v],
  set_on_insert: (v) => ['$setOnInsert', v],
  rename: (v) => ['$rename', v],
};

/** The update key prefixes, for messages and type tests. */
export const UPDATE_KEYS = Object.keys(UPDATE_OPERATORS);

function negate(v: unknown, label: string): number {
  if (typeof v !== 'number') throw new FieldError(`dec__${label} takes a number.`);
  return -v;
}

function asList(v: unknown, key: string): unknown[] {
  if (!Array.isArray(v)) throw new FieldError(`${key} takes a list of values.`);
  return v;
}

function splitKey(key: string): [operator: string, field: string] {
  // Longest operator first: `push_all__tags` is push_all, not push.
  for (const op of [...UPDATE_KEYS].sort((a, b) => b.length - a.length)) {
    if (key.startsWith(`${op}__`)) return [op, key.slice(op.length + 2)];
  }
  return ['set', key];
}

/** Same-field `F(x).plus(n)` chains become $inc/$mul, which every server has. */
function simpleArithmetic(field: string, f: FExpression): [string, number] | undefined {
  if (f.field !== field || f.ops.length !== 1) return undefined;
  const [[op, operand]] = f.ops as [[string, unknown]];
  if (typeof operand !== 'number') return undefined;
  if (op === 'plus') return ['$inc', operand];
  if (op === 'minus') return ['$inc', -operand];
  if (op === 'times') return ['$mul', operand];
  if (op === 'dividedBy' && operand !== 0) return ['$mul', 1 / operand];
  return undefined;
}

/** A MongoDB update: an operator document, or an aggregation pipeline when F needs one. */
export type CompiledUpdate = Record<string, Record<string, unknown>> | Record<string, unknown>[];

/**
 * Compiles Django/MongoEngine-style changes into a MongoDB update.
 *
 * @example
 * ```ts
 * compileUpdate(scope, { headline: 'New', inc__views: 1, push__tags: 'rock', set__blog__name: 'B' });
 * // { $set: { headline: 'New', 'blog.name': 'B' }, $inc: { views: 1 }, $push: { tags: 'rock' } }
 * ```
 */
export function compileUpdate(scope: CompileScope, changes: Readonly<Record<string, unknown>>): CompiledUpdate {
  const update: Record<string, Record<string, unknown>> = {};
  const computed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes)) {
    const [op, fieldKey] = splitKey(key);
    const resolved = resolveKey(scope.schema, scope.modelName, fieldKey);
    if (resolved.lookups.length > 0) {
      throw new FieldError(
        `Update key ${JSON.stringify(key)} names a lookup (${resolved.lookups.join('__')}); updates take a field, ` +
          `optionally after one of ${UPDATE_KEYS.map((k) => `${k}__`).join(', ')}.` +
          didYouMean(resolved.lookups[0] ?? '', UPDATE_KEYS),
      );
    }
    let operator: string;
    let operand: unknown;
    if (value instanceof FExpression) {
      if (op !== 'set')
        throw new FieldError(
          `${key}: F() expressions go with a bare key or set__, e.g. { views: F('views').plus(1) }.`,
        );
      const simple = simpleArithmetic(fieldKey, value);
      if (!simple) {
        computed[resolved.path] = fieldExpression(scope, value);
        continue;
      }
      [operator, operand] = simple;
    } else {
      const write = UPDATE_OPERATORS[op] ?? UPDATE_OPERATORS['set'];
      [operator, operand] = (write as NonNullable<typeof write>)(value, fieldKey);
    }
    if (operator === '$rename') {
      if (typeof operand !== 'string') throw new FieldError(`${key} takes the new field name as a string.`);
      operand = operand.split('__').join('.');
    }
    (update[operator] ??= {})[resolved.path] = operand;
  }
  if (Object.keys(computed).length === 0) return update;
  if (Object.keys(update).some((k) => k !== '$set')) {
    throw new FieldError(
      'F() arithmetic across fields needs a pipeline update, which cannot be mixed with inc__/push__/… keys.',
    );
  }
  return [{ $set: { ...update['$set'], ...computed } }];
}
