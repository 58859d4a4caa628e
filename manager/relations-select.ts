// selectRelated and prefetchRelated: the names they take, resolved when they
// are called into Mongoose populate options. Mongoose's populate reads each
// path with one find() over the ids of all the results (`_id: { $in }`), so
// a QuerySet of N documents costs one query per relation, never N.
// `author__publisher` follows a reference of the referenced model, nested.
import type { Connection, PopulateOptions, Schema } from 'mongoose';
import { RelationError } from '../core/errors.js';
import { fieldsAlong, shapeOf, type FieldShape } from '../core/schema-shape.js';
import { resolveKey } from './resolve.js';
import { relatedModel, type RelatedModel } from './relations-model.js';

/** Which method asks: selectRelated follows single references only, as Django's select_related. */
export type RelatedKind = 'select' | 'prefetch';

/** What names are resolved against: a model. */
interface Owner {
  readonly schema: Schema;
  readonly modelName: string;
  readonly db: Connection;
}

/** One reference of a chain: its path in its model, and the model it names. */
interface Link {
  readonly path: string;
  readonly related: RelatedModel;
}

/** The references a method may follow at the top of a model, for messages. */
function referenceChoices(model: Owner, kind: RelatedKind): string[] {
  const refs: string[] = [];
  const visit = (fields: readonly FieldShape[]): void => {
    for (const f of fields) {
      if (f.ref !== undefined && (f.kind === 'scalar' || (kind === 'prefetch' && f.kind === 'scalarArray'))) {
        refs.push(f.path.split('.').join('__'));
      } else if (f.child && f.kind !== 'embeddedArray') visit(f.child.fields);
    }
  };
  visit(shapeOf(model.schema).fields);
  return refs.sort();
}

function notReference(root: Owner, name: string, kind: RelatedKind, why: string): RelationError {
  const method = kind === 'select' ? 'selectRelated' : 'prefetchRelated';
  const choices = referenceChoices(root, kind);
  const hint =
    kind === 'select' && referenceChoices(root, 'prefetch').length > choices.length
      ? ' An array of references is loaded with prefetchRelated.'
      : '';
  return new RelationError(
    `Invalid name ${JSON.stringify(name)} given to ${method}() on ${root.modelName}: ${why}. ` +
      `It takes references (ObjectId fields with a ref), \`__\` between them to follow one further ` +
      `(author__publisher). Choices are: ${choices.join(', ') || 'none'}.${hint}`,
    name,
    [],
  );
}

// Mongoose's populate matches a reference against `_id` only (its foreign
// field is fixed for a path; only virtuals choose theirs), so a reference to
// another field is refused by name rather than loaded wrong.
function byOtherField(
  root: Owner,
  name: string,
  kind: RelatedKind,
  label: string,
  related: RelatedModel,
  toField: string,
): RelationError {
  const method = kind === 'select' ? 'selectRelated' : 'prefetchRelated';
  return new RelationError(
    `${method}(${JSON.stringify(name)}) on ${root.modelName}: ${label} refers to ${related.modelName} by its ` +
      `${JSON.stringify(toField)} (toField), and Mongoose's populate reads references by _id only. Read them ` +
      `in one query with ${related.modelName}.objects.inBulk(values, { fieldName: '${toField}' }).`,
    name,
    [],
  );
}

/** The chain of references a name follows, each checked. */
function chainOf(root: Owner, name: string, kind: RelatedKind): Link[] {
  const links: Link[] = [];
  let model: Owner = root;
  let key = name;
  for (;;) {
    let field: FieldShape | undefined;
    let path: string;
    let rest: readonly string[] = [];
    try {
      const resolved = resolveKey(model.schema, model.modelName, key);
      if (resolved.lookups.length > 0) throw notReference(root, name, kind, `"${key}" names a lookup`);
      ({ field, path } = resolved);
    } catch (err) {
      if (!(err instanceof RelationError) || err.rest.length === 0) {
        if (err instanceof RelationError) throw err;
        throw notReference(root, name, kind, err instanceof Error ? err.message : String(err));
      }
      path = err.path;
      rest = err.rest;
      field = fieldsAlong(shapeOf(model.schema), path).at(-1);
    }
    const many = field?.kind === 'scalarArray';
    if (field?.ref === undefined || (many && kind === 'select')) {
      throw notReference(
        root,
        name,
        kind,
        `${model.modelName}.${path} is not ${many ? 'a single reference' : 'a reference'}`,
      );
    }
    const related = relatedModel(model.db, field.ref, model.modelName, path, rest, many);
    if (field.toField !== undefined)
      throw byOtherField(root, name, kind, `${model.modelName}.${path}`, related, field.toField);
    links.push({ path, related });
    if (rest.length === 0) return links;
    model = related;
    key = rest.join('__');
  }
}

/** A tree of populate options, merged so that `author` and `author__publisher` read authors once. */
interface Populate {
  readonly path: string;
  readonly model: RelatedModel;
  readonly children: Populate[];
}

function toOptions(nodes: readonly Populate[]): PopulateOptions[] {
  return nodes.map((n) =>
    Object.freeze({
      path: n.path,
      model: n.model,
      ...(n.children.length > 0 ? { populate: toOptions(n.children) } : {}),
    }),
  );
}

function fromOptions(options: readonly PopulateOptions[]): Populate[] {
  return options.map((o) => ({
    path: o.path,
    model: o.model as RelatedModel,
    children: fromOptions((o.populate ?? []) as PopulateOptions[]),
  }));
}

/**
 * The populate options for `names`, added to those a QuerySet has. With no
 * names, selectRelated follows every single reference of the model, as
 * Django's `select_related()`. Throws {@link RelationError} for a name that
 * is not a reference, listing those that are.
 *
 * @example
 * ```ts
 * parseRelated(Book, [], ['author__publisher', 'tags'], 'prefetch');
 * // [{ path: 'author', model: Author, populate: [{ path: 'publisher', model: Publisher }] }, { path: 'tags', model: Tag }]
 * ```
 */
export function parseRelated(
  root: Owner,
  current: readonly PopulateOptions[],
  names: readonly string[],
  kind: RelatedKind,
): readonly PopulateOptions[] {
  const tree = fromOptions(current);
  const all = names.length === 0 && kind === 'select' ? referenceChoices(root, 'select') : names;
  for (const name of all) {
    if (typeof name !== 'string') throw notReference(root, String(name), kind, 'a name is a string');
    let level = tree;
    for (const link of chainOf(root, name, kind)) {
      let node = level.find((n) => n.path === link.path);
      if (!node) level.push((node = { path: link.path, model: link.related, children: [] }));
      level = node.children;
    }
  }
  return Object.freeze(toOptions(tree));
}
