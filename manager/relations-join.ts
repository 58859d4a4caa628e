// Reading a field across a reference, for everything but filters: aggregates,
// annotations, values, orderBy and F. A key such as `authors__age` becomes
// the $lookup stages that bring the referenced documents into each row, and
// the field's path under them. Only declared references are followed: each
// step is a schema path with a `ref` to a model registered on the
// connection, so a key from a request can name no operator and no other
// collection (resolveKey refuses any name the schema lacks).
import type { Connection, Schema } from 'mongoose';
import { FieldError, RelationError } from '../core/errors.js';
import { fieldsAlong, shapeOf } from '../core/schema-shape.js';
import { resolveKey, type ResolvedKey } from './resolve.js';
import { fieldOverLookup, relatedModel } from './relations-model.js';

/**
 * How a join treats an array of references. `rows`: one row per referenced
 * document, Django's join rows (aggregate(), values(...).annotate(),
 * values(), orderBy). `document`: the referenced documents stay an array in
 * their one row, so that an annotation folds them per document. A single
 * reference is one document either way (null when it is missing).
 */
export type JoinMode = 'rows' | 'document';

/** One $lookup by the referenced `_id`: the row's `local` path holds the id (or ids). */
export interface Join {
  readonly kind: 'join';
  readonly local: string;
  readonly from: string;
  readonly as: string;
  /** Whether the joined array is unwound into one row per referenced document. */
  readonly unwind: boolean;
}

/** A key across references: the joins that bring the field into each row, and its path there. */
export interface JoinedPath {
  readonly joins: readonly Join[];
  /** The field's dotted path in the joined row (`_rows_authors.age`). */
  readonly path: string;
  /** The field resolved against the referenced model (its lookups, if any, are the caller's to refuse). */
  readonly resolved: ResolvedKey;
  /** Whether the field is an array in each row: a `document` join through an array of references, or an array field. */
  readonly isArray: boolean;
}

interface Scope {
  readonly schema: Schema;
  readonly modelName: string;
  readonly connection?: Connection | undefined;
}

const PREFIX: Readonly<Record<JoinMode, string>> = { rows: '_rows_', document: '_join_' };

function throughArray(schema: Schema, path: string): boolean {
  return fieldsAlong(shapeOf(schema), path).some((f) => f.kind === 'scalarArray' || f.kind === 'embeddedArray');
}

function follow(
  scope: Scope,
  crossing: RelationError,
  mode: JoinMode,
  at: { readonly local: string; readonly crossed: readonly string[]; readonly joins: readonly Join[] },
  isArray: boolean,
): JoinedPath {
  const field = fieldsAlong(shapeOf(scope.schema), crossing.path).at(-1);
  const many = throughArray(scope.schema, crossing.path);
  const related = relatedModel(scope.connection, field?.ref, scope.modelName, crossing.path, crossing.rest, many);
  const crossed = [...at.crossed, ...crossing.path.split('.')];
  const as = PREFIX[mode] + crossed.join('__');
  const unwind = mode === 'rows' || !many;
  const join: Join = Object.freeze({
    kind: 'join',
    local: at.local + crossing.path,
    from: related.collection.collectionName,
    as,
    unwind,
  });
  const joins = [...at.joins, join];
  const inner = { schema: related.schema, modelName: related.modelName, connection: related.db };
  const rest = crossing.rest.join('__');
  try {
    const resolved = resolveKey(related.schema, related.modelName, rest);
    const collision = fieldOverLookup(related.db, related.modelName, resolved);
    if (collision) throw collision;
    const array = isArray || !unwind || throughArray(related.schema, resolved.path);
    return Object.freeze({ joins: Object.freeze(joins), path: `${as}.${resolved.path}`, resolved, isArray: array });
  } catch (err) {
    if (!(err instanceof RelationError)) throw err;
    return follow(inner, err, mode, { local: `${as}.`, crossed, joins }, isArray || !unwind);
  }
}

/**
 * The joins and path for a key that crosses references (`authors__age`,
 * `books__authors__age`); undefined for a key that crosses none, which is
 * resolved as it always was. A key that cannot be followed (a function ref,
 * an unregistered model) is the {@link RelationError} that says so.
 *
 * @example
 * ```ts
 * joinPath(scopeOf(Book), 'publisher__num_awards', 'rows');
 * // { joins: [{ local: 'publisher', from: 'publishers', as: '_rows_publisher', unwind: true }], path: '_rows_publisher.num_awards', … }
 * ```
 */
export function joinPath(scope: Scope, key: string, mode: JoinMode): JoinedPath | undefined {
  try {
    // `season__gt` where Season has a field `gt` crosses the reference, as in Django.
    const collision = fieldOverLookup(
      scope.connection,
      scope.modelName,
      resolveKey(scope.schema, scope.modelName, key),
    );
    if (!collision) return undefined;
    throw collision;
  } catch (err) {
    if (!(err instanceof RelationError)) throw err;
    return follow(scope, err, mode, { local: '', crossed: [], joins: [] }, false);
  }
}

/**
 * Like {@link joinPath}, for a key that must name a field: a key ending in a
 * lookup is a {@link FieldError} naming `what`.
 *
 * @example
 * ```ts
 * joinedField(scope, 'author__name', 'rows', 'values()'); // { path: '_rows_author.name', … }
 * joinedField(scope, 'author__name__startswith', 'rows', 'values()'); // FieldError
 * ```
 */
export function joinedField(scope: Scope, key: string, mode: JoinMode, what: string): JoinedPath | undefined {
  const joined = joinPath(scope, key, mode);
  if (joined && joined.resolved.lookups.length > 0) {
    throw new FieldError(
      `${what} takes a field across a reference, not a lookup: ${JSON.stringify(key)} ends in ` +
        `${joined.resolved.lookups.join('__')}. Give the field, e.g. "author__name".`,
    );
  }
  return joined;
}

/**
 * The $lookup (and $unwind) stages of `joins`, each once: a join whose alias
 * is in `done` is there already, and is added to it when staged. `outer`
 * false drops the rows with no referenced document.
 *
 * @example
 * ```ts
 * joinStages([{ kind: 'join', local: 'author', from: 'authors', as: '_rows_author', unwind: true }]);
 * // [{ $lookup: { from: 'authors', localField: 'author', foreignField: '_id', as: '_rows_author' } },
 * //  { $unwind: { path: '$_rows_author', preserveNullAndEmptyArrays: true } }]
 * ```
 */
export function joinStages(
  joins: readonly Join[],
  done: Set<string> = new Set(),
  outer = true,
): Record<string, unknown>[] {
  const stages: Record<string, unknown>[] = [];
  for (const join of joins) {
    if (done.has(join.as)) continue;
    done.add(join.as);
    stages.push({ $lookup: { from: join.from, localField: join.local, foreignField: '_id', as: join.as } });
    // A missing reference keeps its row, with no document: Django's LEFT OUTER JOIN (`outer`), else its INNER JOIN.
    if (join.unwind) stages.push({ $unwind: { path: `$${join.as}`, preserveNullAndEmptyArrays: outer } });
  }
  return stages;
}

/**
 * A resolver for the keys across references an annotation's F() names, in
 * the form parse.ts's `annotation` hook takes: `ceo__salary` resolves to
 * the joined path (`_join_ceo.salary`); other keys to undefined.
 *
 * @example
 * ```ts
 * joinResolver(scopeOf(Company), 'document')('ceo__salary'); // { path: '_join_ceo.salary', … }
 * ```
 */
export function joinResolver(scope: Scope, mode: JoinMode): (key: string) => ResolvedKey | undefined {
  return (key) => {
    const joined = joinPath(scope, key, mode);
    return joined && Object.freeze({ ...joined.resolved, path: joined.path });
  };
}
