// selectRelated as Django's JOIN: the referenced documents come with the
// results, in the same command, through $lookup stages (one per reference,
// `author__publisher` one more), then are put at the reference's path of
// each row, where populate would have put them. Only what selectRelated
// named is joined; prefetchRelated stays a query of its own, as in Django.
import { hasReadPlugin } from '../core/read-plugins.js';
import type { Document, PopulateOptions, Schema } from 'mongoose';
import { markPopulatedMissing } from '../core/mongoose-internals.js';
import type { MongoQuery } from './queryset-compile.js';
import type { Props } from './queryset-props.js';
import { joinStages, type Join } from './relations-join.js';
import type { RelatedModel } from './relations-model.js';

/** One joined reference: its path in the document that holds it, and the row's top-level alias of its document. */
export interface JoinedRef {
  readonly path: string;
  readonly as: string;
  readonly model: RelatedModel;
  readonly children: readonly JoinedRef[];
}

/** What a QuerySet with selectRelated reads: the joined references, and the populate options left (prefetchRelated's). */
export interface SelectPlan {
  readonly refs: readonly JoinedRef[];
  readonly rest: readonly PopulateOptions[];
}

const PREFIX = '_select_';

function childrenOf(option: PopulateOptions): readonly PopulateOptions[] {
  return (option.populate ?? []) as PopulateOptions[];
}

function sameTree(a: PopulateOptions, b: PopulateOptions): boolean {
  const [ac, bc] = [childrenOf(a), childrenOf(b)];
  return (
    a.path === b.path &&
    a.model === b.model &&
    ac.length === bc.length &&
    ac.every((c) => bc.some((d) => sameTree(c, d)))
  );
}

// A projection keeps the reference (only() names it, or defer() does not):
// one it drops is left to populate, which does nothing there either.
function keeps(projection: MongoQuery['projection'], path: string): boolean {
  if (!projection) return true;
  const top = path.split('.')[0] ?? path;
  const inclusive = Object.values(projection).includes(1);
  const named = projection[path] !== undefined || projection[top] !== undefined;
  return inclusive ? named : !named;
}

function refOf(option: PopulateOptions, as: string, dbName: string): JoinedRef | undefined {
  const model = option.model as RelatedModel;
  // $lookup reads a collection of the same database only.
  if (model.db.name !== dbName) return undefined;
  const children: JoinedRef[] = [];
  for (const child of childrenOf(option)) {
    const ref = refOf(child, `${as}__${child.path.split('.').join('__')}`, dbName);
    if (!ref) return undefined;
    children.push(ref);
  }
  return Object.freeze({ path: option.path, as, model, children: Object.freeze(children) });
}

/**
 * Which references of `props` are joined, or undefined when none can be
 * (no selectRelated, values(), groups, a reference also given to
 * prefetchRelated with other nesting, a model of another database): then
 * populate reads them all, as before.
 *
 * @example
 * ```ts
 * selectPlan(Book.objects.selectRelated('author').prefetchRelated('tags') props, 'test');
 * // { refs: [{ path: 'author', as: '_select_author', … }], rest: [{ path: 'tags', … }] }
 * ```
 */
export function selectPlan(props: Props, dbName: string): SelectPlan | undefined {
  if (props.select.length === 0 || props.values || props.grouping) return undefined;
  // Without values() (no join then), the projection sent is only()'s or defer()'s own.
  const projection = props.projection;
  const refs: JoinedRef[] = [];
  const rest: PopulateOptions[] = [];
  for (const option of props.populate) {
    const selected = props.select.find((s) => s.path === option.path);
    if (!selected || !keeps(projection, option.path)) {
      rest.push(option);
      continue;
    }
    if (!sameTree(option, selected)) return undefined;
    const ref = refOf(option, PREFIX + option.path.split('.').join('__'), dbName);
    if (!ref) return undefined;
    refs.push(ref);
  }
  if (refs.length === 0) return undefined;
  // A lean row is handed out as the server sent it: a joined document whose
  // model checks or fills its reads (enforceSchema) is read by populate,
  // whose find() runs the plugin.
  if (props.lean && refs.some(readsThroughPlugin)) return undefined;
  return Object.freeze({ refs: Object.freeze(refs), rest: Object.freeze(rest) });
}

function readsThroughPlugin(ref: JoinedRef): boolean {
  return hasReadPlugin(ref.model.schema) || ref.children.some(readsThroughPlugin);
}

function joinsOf(refs: readonly JoinedRef[], local: string): Join[] {
  return refs.flatMap((ref) => [
    Object.freeze({
      kind: 'join' as const,
      local: local + ref.path,
      from: ref.model.collection.collectionName,
      as: ref.as,
      unwind: true,
    }),
    ...joinsOf(ref.children, `${ref.as}.`),
  ]);
}

/**
 * The $lookup and $unwind stages that bring each joined reference's
 * document into the row (a row whose reference finds none is kept, Django's
 * LEFT OUTER JOIN for a nullable foreign key).
 *
 * @example
 * ```ts
 * selectStages(plan.refs);
 * // [{ $lookup: { from: 'authors', localField: 'author', foreignField: '_id', as: '_select_author' } },
 * //  { $unwind: { path: '$_select_author', preserveNullAndEmptyArrays: true } }]
 * ```
 */
export function selectStages(refs: readonly JoinedRef[], rowHidden: readonly string[] = []): Record<string, unknown>[] {
  const stages = joinStages(joinsOf(refs, ''));
  const hidden = [...rowHidden, ...refs.flatMap((ref) => hiddenUnder(ref))];
  if (hidden.length > 0) stages.push({ $project: Object.fromEntries(hidden.map((p) => [p, 0])) });
  return stages;
}

function hiddenUnder(ref: JoinedRef): string[] {
  return [...hiddenPaths(ref.model.schema).map((p) => `${ref.as}.${p}`), ...ref.children.flatMap(hiddenUnder)];
}

/**
 * The paths a schema hides (`select: false`): find() and populate leave
 * them out unless a projection names them, so the join does too.
 *
 * @example
 * ```ts
 * hiddenPaths(new Schema({ name: String, password: { type: String, select: false } })); // ['password']
 * ```
 */
export function hiddenPaths(schema: Schema): string[] {
  const hidden: string[] = [];
  schema.eachPath((path, type) => {
    if ((type.options as { select?: unknown } | undefined)?.select === false) hidden.push(path);
  });
  return hidden;
}

/**
 * The hidden paths of the model's own rows that its projection leaves
 * hidden: none under an inclusion projection (it names what is read, as
 * find() reads it), else those it does not name.
 *
 * @example
 * ```ts
 * rowHiddenPaths(userSchema, undefined); // ['password']
 * rowHiddenPaths(userSchema, { name: 1 }); // []
 * ```
 */
export function rowHiddenPaths(schema: Schema, projection: MongoQuery['projection']): string[] {
  if (projection && Object.values(projection).includes(1)) return [];
  return hiddenPaths(schema).filter((p) => projection?.[p] === undefined);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function valueAt(doc: Record<string, unknown>, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((v, part) => (isObject(v) && Object.hasOwn(v, part) ? v[part] : undefined), doc);
}

function setAt(doc: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  const last = parts.pop() ?? path;
  let at = doc;
  for (const part of parts) {
    const next = at[part];
    if (!isObject(next)) return; // no parent object: the reference is not there
    at = next;
  }
  at[last] = value;
}

function dropAliases(row: Record<string, unknown>, ref: JoinedRef): void {
  Reflect.deleteProperty(row, ref.as);
  for (const child of ref.children) dropAliases(row, child);
}

/**
 * Puts each joined document at its reference's path of `row` (in place),
 * the lean form: an id whose document is gone reads as null, as populate
 * gives it; a missing reference stays as it is.
 *
 * @example
 * ```ts
 * placeJoined({ _id, author: id, _select_author: { _id: id, name: 'Ann' } }, plan.refs);
 * // the row is now { _id, author: { _id: id, name: 'Ann' } }
 * ```
 */
export function placeJoined(row: Record<string, unknown>, refs: readonly JoinedRef[], owner = row): void {
  for (const ref of refs) {
    const joined = row[ref.as];
    Reflect.deleteProperty(row, ref.as);
    if (isObject(joined)) {
      placeJoined(row, ref.children, joined);
      setAt(owner, ref.path, joined);
      continue;
    }
    for (const child of ref.children) dropAliases(row, child);
    const stored = valueAt(owner, ref.path);
    if (stored !== null && stored !== undefined) setAt(owner, ref.path, null);
  }
}

/**
 * The document for `row`, made by `hydrate`, with each joined document
 * hydrated by its model and set at its reference's path: populated, as
 * Mongoose's populate leaves it (`doc.populated('author')` is the id, a
 * missing document null), nothing marked modified.
 *
 * @example
 * ```ts
 * hydrateJoined(row, plan.refs, (raw) => Book.hydrate(raw)); // book.author an Author document
 * ```
 */
export function hydrateJoined(
  row: Record<string, unknown>,
  refs: readonly JoinedRef[],
  hydrate: (raw: Record<string, unknown>) => Document,
  raw = row,
): Document {
  const after: ((doc: Document) => void)[] = [];
  for (const ref of refs) {
    const joined = row[ref.as];
    Reflect.deleteProperty(row, ref.as);
    const stored = valueAt(raw, ref.path);
    if (isObject(joined)) {
      const hidden = hiddenPaths(ref.model.schema);
      // Hydrated with the projection populate's find() had, so that what it hid reads as not selected.
      const projection = hidden.length > 0 ? Object.fromEntries(hidden.map((p) => [p, 0])) : undefined;
      const hydrateRef = (r: Record<string, unknown>) => ref.model.hydrate(r, projection) as unknown as Document;
      const related = hydrateJoined(row, ref.children, hydrateRef, joined);
      after.push((doc) => {
        // Mongoose's public door for a populated value: a document set on a reference path.
        doc.set(ref.path, related);
        doc.unmarkModified(ref.path);
      });
      continue;
    }
    for (const child of ref.children) dropAliases(row, child);
    if (stored === null || stored === undefined) continue;
    setAt(raw, ref.path, null);
    after.push((doc) => markPopulatedMissing(doc, ref.path, stored));
  }
  const doc = hydrate(raw);
  for (const step of after) step(doc);
  return doc;
}
