// Fields inside embedded documents, as migrations name them: a dotted path
// (`blog.description`, `comments.flag`) walks the recorded sub-fields of
// embedded documents, nested objects and arrays of embedded documents.
// Pure: the project state's side of the field operations that reach inside.
import { ImproperlyConfigured } from '../../core/errors.js';
import type { FieldState } from './state.js';

type Fields = Readonly<Record<string, FieldState>>;

/** One key along a path to a field inside, and whether it holds an array of embedded documents. */
export interface PathStep {
  readonly key: string;
  readonly array: boolean;
}

/**
 * Whether a field name is a path inside an embedded document. A top-level
 * name has no dot: Mongoose reads a dot in a schema key as nesting.
 *
 * @example
 * ```ts
 * isInside('blog.description'); // true
 * isInside('headline'); // false
 * ```
 */
export function isInside(name: string): boolean {
  return name.includes('.');
}

/** Whether a field holds an array of embedded documents (each element has `fields`). */
export function isDocumentArray(field: FieldState): boolean {
  return field.type === 'Array' && field.fields !== undefined;
}

function container(fields: Fields, parents: readonly string[], path: string, model: string): FieldState[] {
  const along: FieldState[] = [];
  let level: Fields | undefined = fields;
  for (const key of parents) {
    const field: FieldState | undefined = level?.[key];
    if (!field?.fields) {
      throw new ImproperlyConfigured(
        `The migrations name ${model}.${path}, but ${parents.slice(0, along.length + 1).join('.')} is not an ` +
          'embedded document, a nested object or an array of embedded documents in the state the earlier ' +
          'migrations build. Accepted: a dotted path through fields that hold documents.',
      );
    }
    along.push(field);
    level = field.fields;
  }
  return along;
}

/**
 * The steps from the document to the object that holds the field at `path`
 * (every key but the last), each saying whether it crosses an array.
 *
 * @example
 * ```ts
 * parentSteps(entry.fields, 'comments.flag', 'Entry'); // [{ key: 'comments', array: true }]
 * ```
 */
export function parentSteps(fields: Fields, path: string, model: string): PathStep[] {
  const parents = path.split('.').slice(0, -1);
  return container(fields, parents, path, model).map((field, i) => ({
    key: parents[i] ?? '',
    array: isDocumentArray(field),
  }));
}

/**
 * The fields with the level holding `path`'s last key replaced by
 * `change(level)`; the records along the way are new, the old ones unchanged.
 *
 * @example
 * ```ts
 * withLevel(entry.fields, 'blog.description', 'Entry', (level) => ({ ...level, description: field }));
 * ```
 */
export function withLevel(
  fields: Fields,
  path: string,
  model: string,
  change: (level: Fields) => Record<string, FieldState>,
): Fields {
  const parents = path.split('.').slice(0, -1);
  const along = container(fields, parents, path, model);
  const rebuild = (level: Fields, depth: number): Fields => {
    const key = parents[depth];
    const field = along[depth];
    if (key === undefined || !field?.fields) return Object.freeze(change(level));
    return Object.freeze({ ...level, [key]: Object.freeze({ ...field, fields: rebuild(field.fields, depth + 1) }) });
  };
  return rebuild(fields, 0);
}

/**
 * The field at a dotted path, or undefined.
 *
 * @example
 * ```ts
 * fieldAt(entry.fields, 'blog.name'); // { type: 'String', required: false }
 * ```
 */
export function fieldAt(fields: Fields, path: string): FieldState | undefined {
  let level: Fields | undefined = fields;
  let found: FieldState | undefined;
  for (const key of path.split('.')) {
    found = level?.[key];
    level = found?.fields;
  }
  return found;
}

const lastKey = (path: string): string => path.slice(path.lastIndexOf('.') + 1);
const parentOf = (path: string): string => path.slice(0, Math.max(0, path.lastIndexOf('.')));

/**
 * The fields after setting (AddField, AlterField) the field at `path`.
 *
 * @example
 * ```ts
 * setField(entry.fields, 'blog.description', { type: 'String', required: false, default: '' }, 'Entry');
 * ```
 */
export function setField(fields: Fields, path: string, field: FieldState, model: string): Fields {
  return withLevel(fields, path, model, (level) => ({ ...level, [lastKey(path)]: field }));
}

/**
 * The fields after removing the field at `path`.
 *
 * @example
 * ```ts
 * removeField(entry.fields, 'blog.tagline', 'Entry');
 * ```
 */
export function removeField(fields: Fields, path: string, model: string): Fields {
  const key = lastKey(path);
  return withLevel(fields, path, model, (level) =>
    Object.fromEntries(Object.entries(level).filter(([k]) => k !== key)),
  );
}

/**
 * Refuses a rename that moves a field into or out of an array of embedded
 * documents: no update moves values between array elements and their parents.
 *
 * @example
 * ```ts
 * assertRenamable(entry.fields, 'comments.author', 'comments.by', 'Entry'); // fine
 * assertRenamable(entry.fields, 'comments.author', 'author', 'Entry'); // ImproperlyConfigured
 * ```
 */
export function assertRenamable(fields: Fields, from: string, to: string, model: string): void {
  if (parentOf(from) === parentOf(to)) return;
  const steps = [...parentSteps(fields, from, model), ...parentSteps(fields, to, model)];
  if (!steps.some((step) => step.array)) return;
  throw new ImproperlyConfigured(
    `The migrations rename ${model}.${from} to ${to}, which moves it into or out of an array of embedded ` +
      'documents. Accepted inside an array: a new name in the same embedded document (comments.flag → comments.seen).',
  );
}

/**
 * The fields after renaming `from` to `to`: in place within one level (the
 * order kept), else removed from one and added to the other.
 *
 * @example
 * ```ts
 * renameField(entry.fields, 'blog.tagline', 'blog.motto', 'Entry');
 * ```
 */
export function renameField(fields: Fields, from: string, to: string, model: string): Fields {
  assertRenamable(fields, from, to, model);
  const moved = fieldAt(fields, from);
  if (!moved) {
    throw new ImproperlyConfigured(
      `The migrations rename ${model}.${from}, which the earlier migrations do not create. Accepted: a field they create.`,
    );
  }
  if (parentOf(from) !== parentOf(to)) return setField(removeField(fields, from, model), to, moved, model);
  const [old, now] = [lastKey(from), lastKey(to)];
  return withLevel(fields, from, model, (level) =>
    Object.fromEntries(Object.entries(level).map(([key, field]) => [key === old ? now : key, field])),
  );
}
