// MongoEngine-style update keys (`inc__views`, `set__blog__name`, bare key =
// set) and F arithmetic, compiled into a MongoDB update document. Keys must
// name fields; what each writes is checked and made literal in
// update-values.ts. Mongoose's updateMany then casts the values by the
// schema, as for any update.
import { FieldError } from '../core/errors.js';
import { didYouMean } from '../core/closest.js';
import { FExpression } from './q.js';
import { fieldExpression, type CompileScope } from './filter.js';
import { fieldChoices, resolveKey, type ResolvedKey } from './resolve.js';
import { assertWithinSizeLimit, unsafeKey } from './storable.js';
import { UPDATE_OPERATORS, slotAt } from './update-values.js';

/** The update keys, for messages and type tests. */
export const UPDATE_KEYS = Object.keys(UPDATE_OPERATORS);

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
 * // { $set: { headline: 'New', 'blog.name': 'B' }, $inc: { views: 1 }, $push: { tags: { $each: ['rock'] } } }
 * ```
 */
export function compileUpdate(scope: CompileScope, changes: Readonly<Record<string, unknown>>): CompiledUpdate {
  if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) {
    throw new FieldError(`update() takes an object of changes (update key → value), not ${String(changes)}.`);
  }
  const update: Record<string, Record<string, unknown>> = {};
  const computed: Record<string, unknown> = {};
  const claim = claimer(scope.modelName);
  for (const [key, value] of Object.entries(changes)) {
    const [op, fieldKey] = splitKey(key);
    const resolved = resolveUpdateKey(scope, key, fieldKey);
    let operator: string;
    let operand: unknown;
    if (value instanceof FExpression) {
      if (op !== 'set')
        throw new FieldError(
          `${key}: F() expressions go with a bare key or set__, e.g. { views: F('views').plus(1) }.`,
        );
      const simple = simpleArithmetic(fieldKey, value);
      if (!simple) {
        claim(resolved.path, key);
        computed[resolved.path] = fieldExpression(scope, value);
        continue;
      }
      [operator, operand] = simple;
    } else {
      const write = UPDATE_OPERATORS[op] ?? UPDATE_OPERATORS['set'];
      const slot = slotAt(scope.schema, resolved.path);
      const target = { schema: scope.schema, path: resolved.path, label: resolved.label, slot };
      [operator, operand] = (write as NonNullable<typeof write>)(target, value);
    }
    const entries = (update[operator] ??= {});
    const earlier = entries[resolved.path];
    // pull__tags and pull_all__tags on one field: one $pullAll of both lists.
    if (operator === '$pullAll' && Array.isArray(earlier)) {
      operand = [...(earlier as unknown[]), ...(operand as unknown[])];
    } else {
      claim(resolved.path, key);
      if (operator === '$rename') claim(operand as string, key);
    }
    entries[resolved.path] = operand;
  }
  assertWithinSizeLimit(update, scope.modelName, 'update');
  if (Object.keys(computed).length === 0) return update;
  if (Object.keys(update).some((k) => k !== '$set')) {
    throw new FieldError(
      'F() arithmetic across fields needs a pipeline update, which cannot be mixed with inc__/push__/… keys.',
    );
  }
  // In a pipeline, a value is an expression: "$views" would read a field and
  // { $add: … } would compute. $literal keeps the plain values data.
  const literals = Object.fromEntries(Object.entries(update['$set'] ?? {}).map(([p, v]) => [p, { $literal: v }]));
  return [{ $set: { ...literals, ...computed } }];
}

/**
 * Records the paths an update writes, refusing a second write to the same
 * field or to a path inside it, which the server would refuse as a conflict
 * after part of a multi-document update may have run.
 */
function claimer(modelName: string): (path: string, key: string) => void {
  const written = new Map<string, string>();
  return (path, key) => {
    for (const [other, otherKey] of written) {
      if (other === path || other.startsWith(`${path}.`) || path.startsWith(`${other}.`)) {
        throw new FieldError(
          `Update keys ${JSON.stringify(otherKey)} and ${JSON.stringify(key)} both change ${modelName}.${other}; ` +
            'one update changes each field once (pull__ and pull_all__ of one list combine).',
        );
      }
    }
    written.set(path, key);
  };
}

/** The field an update key names, or a FieldError naming the valid fields and update keys. */
function resolveUpdateKey(scope: CompileScope, key: string, fieldKey: string): ResolvedKey {
  const parts = fieldKey.split('__');
  const bad = parts.find((p) => p === '' || unsafeKey(p) !== undefined);
  if (bad !== undefined) {
    const choices = fieldChoices(scope.schema, '', true);
    throw new FieldError(
      `Update key ${JSON.stringify(key)} does not name a field of ${scope.modelName}: ` +
        `${bad === '' ? 'it has an empty part between "__"' : `the part ${JSON.stringify(bad)} ${unsafeKey(bad) ?? ''}`}. ` +
        `Update keys are field names joined by "__" (Choices are: ${choices.join(', ')}), ` +
        `optionally after one of ${UPDATE_KEYS.map((k) => `${k}__`).join(', ')}. ` +
        'Raw MongoDB updates go through Model.objects.mongo_update_many(filter, update).',
    );
  }
  const resolved = resolveKey(scope.schema, scope.modelName, fieldKey);
  if (resolved.lookups.length > 0) {
    throw new FieldError(
      `Update key ${JSON.stringify(key)} names a lookup (${resolved.lookups.join('__')}); updates take a field, ` +
        `optionally after one of ${UPDATE_KEYS.map((k) => `${k}__`).join(', ')}.` +
        didYouMean(resolved.lookups[0] ?? '', UPDATE_KEYS),
    );
  }
  if (resolved.path === '_id') {
    throw new FieldError(
      `Update key ${JSON.stringify(key)}: ${scope.modelName}._id is the primary key and cannot be changed.`,
    );
  }
  return resolved;
}
