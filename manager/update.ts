// MongoEngine-style update keys (`inc__views`, `set__blog__name`, bare key =
// set) and F arithmetic, compiled into a MongoDB update document. Keys must
// name fields; what each writes is checked and made literal in
// update-values.ts. Mongoose's updateMany then casts the values by the
// schema, as for any update.
import { FieldError } from '../core/errors.js';
import { didYouMean } from '../core/closest.js';
import { FExpression, type FStep } from './q.js';
import { kindOfField } from './f-types.js';
import { fieldExpression, type CompileScope } from './filter.js';
import { fieldChoices, resolveKey, type ResolvedKey } from './resolve.js';
import { assertWithinSizeLimit, unsafeKey } from './storable.js';
import { UPDATE_OPERATORS, slotAt } from './update-values.js';
import { isConditionalPull, pullCondition } from './update-pull.js';
import { positionedPath, pushPosition, splitPositions } from './update-paths.js';
import { mergeRawUpdate, rawUpdateOf, type RawUpdateStages } from './update-raw.js';

/** The update keys, for messages and type tests. */
export const UPDATE_KEYS = Object.keys(UPDATE_OPERATORS);

function splitKey(key: string): [operator: string, field: string] {
  // Longest operator first: `push_all__tags` is push_all, not push.
  for (const op of [...UPDATE_KEYS].sort((a, b) => b.length - a.length)) {
    if (key.startsWith(`${op}__`)) return [op, key.slice(op.length + 2)];
  }
  return ['set', key];
}

/**
 * Same-field `F(x).plus(n)` on a number becomes $inc/$mul, which every
 * server has; on a Date it is date arithmetic, which $inc refuses. A division
 * is a $mul by the inverse on a double only: an integer field divides as
 * integers (a pipeline update).
 */
function simpleArithmetic(field: string, f: FExpression, resolved: ResolvedKey): [string, number] | undefined {
  const kind = kindOfField(resolved.field);
  if (f.field !== field || f.ops.length !== 1 || kind === 'date') return undefined;
  const [[op, operand, constantFirst]] = f.ops as [FStep];
  if (typeof operand !== 'number' || constantFirst) return undefined;
  if (op === 'plus') return ['$inc', operand];
  if (op === 'minus') return ['$inc', -operand];
  if (op === 'times') return ['$mul', operand];
  if (op === 'dividedBy' && operand !== 0 && kind !== 'int' && kind !== 'long') return ['$mul', 1 / operand];
  return undefined;
}

/** A MongoDB update: an operator document, or an aggregation pipeline when F needs one. */
export type CompiledUpdate = Record<string, Record<string, unknown>> | Record<string, unknown>[];

/**
 * Compiles Django/MongoEngine-style changes into a MongoDB update. Keys may
 * name list elements by position (`set__comments__1__text`, `push__tags__0`)
 * or by the filter's match (`inc__comments__S__score`), pull__ keys may end
 * with a lookup (`pull__comments__score__lt`), and `__raw__` takes a
 * {@link RawUpdate} made in code: an update document merged in, or a
 * pipeline sent after the keys' own `$set` stage.
 *
 * @example
 * ```ts
 * compileUpdate(scope, { headline: 'New', inc__views: 1, push__tags: 'rock', set__blog__name: 'B' });
 * // { $set: { headline: 'New', 'blog.name': 'B' }, $inc: { views: 1 }, $push: { tags: { $each: ['rock'] } } }
 * compileUpdate(scope, { pull__comments__score__lt: 3, push__tags__0: 'new' });
 * // { $pull: { comments: { score: { $lt: 3 } } }, $push: { tags: { $each: ['new'], $position: 0 } } }
 * ```
 */
export function compileUpdate(scope: CompileScope, changes: Readonly<Record<string, unknown>>): CompiledUpdate {
  if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) {
    throw new FieldError(`update() takes an object of changes (update key → value), not ${String(changes)}.`);
  }
  let update: Record<string, Record<string, unknown>> = {};
  const computed: Record<string, unknown> = {};
  const claim = claimer(scope.modelName);
  let positioned: string | undefined;
  // Same-field F's sent as $inc/$mul: in a pipeline update, their expressions.
  const simpleF: [operator: string, path: string, expression: unknown][] = [];
  for (const [key, value] of Object.entries(changes)) {
    if (key === '__raw__') continue;
    const [op, fieldKey] = splitKey(key);
    const { fieldKey: plainKey, positions } = splitPositions(scope, fieldKey);
    if (positions.size > 0) positioned = key;
    const resolved = resolveUpdateKey(scope, key, plainKey, op === 'pull');
    let path = positionedPath(resolved.path, positions);
    let operator: string;
    let operand: unknown;
    if (value instanceof FExpression) {
      if (op !== 'set' || positions.size > 0)
        throw new FieldError(
          `${key}: F() expressions go with a bare key or set__ of a whole field, e.g. { views: F('views').plus(1) }.`,
        );
      // Parsed either way: its field names and types are checked before anything is sent.
      const expression = fieldExpression(scope, value);
      const simple = simpleArithmetic(fieldKey, value, resolved);
      if (!simple) {
        claim(resolved.path, key);
        computed[resolved.path] = expression;
        continue;
      }
      [operator, operand] = simple;
      simpleF.push([operator, path, expression]);
    } else if (op === 'pull' && isConditionalPull(scope, resolved)) {
      if (positions.size > 0) throw new FieldError(`${key}: pull__ with a condition takes no position.`);
      [path, operand] = pullCondition(scope, key, plainKey, resolved, value);
      operator = '$pull';
    } else {
      [operator, operand, path] = writeAt(scope, op, resolved.path, positions, value);
    }
    const entries = (update[operator] ??= {});
    const earlier = entries[path];
    // pull__tags and pull_all__tags on one field: one $pullAll of both lists.
    if (operator === '$pullAll' && Array.isArray(earlier)) {
      operand = [...(earlier as unknown[]), ...(operand as unknown[])];
    } else {
      claim(path, key);
      if (operator === '$rename') claim(operand as string, key);
    }
    entries[path] = operand;
  }
  const raw = Object.hasOwn(changes, '__raw__') ? rawUpdateOf(scope.modelName, changes['__raw__']) : undefined;
  const rawStages = raw !== undefined && Array.isArray(raw.update) ? (raw.update as RawUpdateStages) : undefined;
  if (raw !== undefined && rawStages === undefined) {
    if (Object.keys(computed).length > 0) {
      throw new FieldError(
        'A raw update (__raw__) cannot be mixed with F() arithmetic across fields, which needs a pipeline update.',
      );
    }
    update = mergeRawUpdate(scope.modelName, update, raw);
  }
  assertWithinSizeLimit(update, scope.modelName, 'update');
  if (Object.keys(computed).length === 0 && rawStages === undefined) return update;
  // `{ a: F('a').dividedBy(2), b: F('c') }`: with a pipeline needed, the same-field F goes in it too.
  for (const [operator, path, expression] of simpleF) {
    const rest = Object.entries(update[operator] ?? {}).filter(([p]) => p !== path);
    update = Object.fromEntries(
      Object.entries({ ...update, [operator]: Object.fromEntries(rest) }).filter(([, e]) => Object.keys(e).length > 0),
    );
    computed[path] = expression;
  }
  if (Object.keys(update).some((k) => k !== '$set') || positioned !== undefined) {
    throw new FieldError(
      'F() arithmetic across fields and RawUpdate([...stages]) need a pipeline update, which cannot be mixed with ' +
        `inc__/push__/… keys or list positions${positioned === undefined ? '' : ` (${positioned})`}.`,
    );
  }
  // In a pipeline, a value is an expression: "$views" would read a field and
  // { $add: … } would compute. $literal keeps the plain values data.
  const literals = Object.fromEntries(Object.entries(update['$set'] ?? {}).map(([p, v]) => [p, { $literal: v }]));
  const own = { ...literals, ...computed };
  // The keys' own stage first, then the raw stages, which may read what it wrote.
  const pipeline = [...(Object.keys(own).length > 0 ? [{ $set: own }] : []), ...(rawStages ?? [])];
  assertWithinSizeLimit(pipeline, scope.modelName, 'update');
  return pipeline;
}

/** What one key writes at a (positioned) path: operator, operand, and the path it goes to. */
function writeAt(
  scope: CompileScope,
  op: string,
  fieldPath: string,
  positions: ReadonlyMap<number, string>,
  value: unknown,
): [operator: string, operand: unknown, path: string] {
  const label = `${scope.modelName}.${positionedPath(fieldPath, positions)}`;
  const isPush = op === 'push' || op === 'push_all';
  const [position, at] = isPush ? pushPosition(label, fieldPath, positions) : [undefined, positions];
  const path = positionedPath(fieldPath, at);
  const slot = slotAt(scope.schema, fieldPath, new Set(at.keys()));
  const write = UPDATE_OPERATORS[op] ?? UPDATE_OPERATORS['set'];
  const target = { schema: scope.schema, path, label: `${scope.modelName}.${path}`, slot };
  const [operator, operand] = (write as NonNullable<typeof write>)(target, value);
  if (position === undefined) return [operator, operand, path];
  return [operator, { ...(operand as Record<string, unknown>), $position: position }, path];
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
function resolveUpdateKey(scope: CompileScope, key: string, fieldKey: string, lookups: boolean): ResolvedKey {
  const parts = fieldKey.split('__');
  const bad = parts.find((p) => p === '' || unsafeKey(p) !== undefined);
  if (bad !== undefined) {
    const choices = fieldChoices(scope.schema, '', true);
    throw new FieldError(
      `Update key ${JSON.stringify(key)} does not name a field of ${scope.modelName}: ` +
        `${bad === '' ? 'it has an empty part between "__"' : `the part ${JSON.stringify(bad)} ${unsafeKey(bad) ?? ''}`}. ` +
        `Update keys are field names joined by "__" (Choices are: ${choices.join(', ')}), ` +
        `optionally after one of ${UPDATE_KEYS.map((k) => `${k}__`).join(', ')}. ` +
        'A raw MongoDB update goes in { __raw__: RawUpdate({ ... }) }, made in code.',
    );
  }
  const resolved = resolveKey(scope.schema, scope.modelName, fieldKey);
  if (resolved.lookups.length > 0 && !lookups) {
    throw new FieldError(
      `Update key ${JSON.stringify(key)} names a lookup (${resolved.lookups.join('__')}); updates take a field, ` +
        `optionally after one of ${UPDATE_KEYS.map((k) => `${k}__`).join(', ')}; only pull__ takes a lookup ` +
        '(pull__comments__score__lt: 3).' +
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
