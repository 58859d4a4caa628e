// AdminJS's submitted params as the values a document is set to. Only the
// resource's editable properties are read, by their own keys, so keys the
// browser made up (`__proto__`, `$set`, `id`) are never looked at. A scalar
// field takes a scalar (an object such as `{ "$ne": 1 }` is refused, not
// cast), a list takes a list, an embedded document an object, a JSON field
// JSON text, and a file field an upload or its current name. Refusals are
// collected by flattened path, as AdminJS shows them on the form.
import { flat, type ParamsType } from 'adminjs';
import { isPlainObject } from '../core/values.js';
import type { PropertySpec } from './property.js';
import { FileName, isUpload, pendingUpload, uploadsAt, type UploadedFormFile } from './uploads.js';

/** Why a param was refused, by the flattened path of its form field. */
export type ParamErrors = Record<string, { readonly type: string; readonly message: string }>;

/** What the params set: values by top-level field, and refusals. */
export interface ReadParams {
  readonly values: Record<string, unknown>;
  readonly errors: ParamErrors;
}

const SKIP = Symbol('skip');
type Out = unknown;

/** What a read collects its refusals in, and the uploads by dotted path (see readFile). */
interface Reading {
  readonly errors: ParamErrors;
  readonly uploads: ReadonlyMap<string, UploadedFormFile>;
}

function isScalar(value: unknown): boolean {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    value instanceof Date
  );
}

// AdminJS keeps an array's items under `0`, `1`, … keys; after a removal in the
// form the numbers may have gaps, and flat.get may hand over an object.
function itemsOf(value: unknown): unknown[] | undefined {
  if (value === null || value === '') return [];
  if (Array.isArray(value)) return value.filter((item) => item !== undefined);
  if (isPlainObject(value) && Object.keys(value).every((key) => /^\d+$/.test(key))) {
    return Object.keys(value)
      .sort((a, b) => Number(a) - Number(b))
      .map((key) => value[key]);
  }
  return undefined;
}

function readJSON(value: unknown, path: string, errors: ParamErrors): Out {
  if (value === null || value === '') return null;
  if (typeof value !== 'string') {
    errors[path] = { type: 'json', message: 'Takes JSON text, such as {"label": "Apple"} or [1, 2].' };
    return SKIP;
  }
  try {
    return JSON.parse(value) as unknown;
  } catch (err) {
    errors[path] = {
      type: 'json',
      message: `Not valid JSON (${(err as Error).message}); write JSON, such as {"label": "Apple"} or [1, 2].`,
    };
    return SKIP;
  }
}

function readScalar(spec: PropertySpec, value: unknown, path: string, errors: ParamErrors): Out {
  if (isScalar(value)) return value === '' && spec.type !== 'string' && spec.type !== 'textarea' ? null : value;
  errors[path] = {
    type: 'type',
    message: `Takes a single value, not ${Array.isArray(value) ? 'a list' : 'an object'}.`,
  };
  return SKIP;
}

// AdminJS's param converter reads a file inside an embedded document
// (`blog.logo`) through its parent, which turns the parsed file into a
// plain copy; the upload itself is taken from the params by its path.
function readFile(value: unknown, path: string, { errors, uploads }: Reading): Out {
  const uploaded = uploads.get(path);
  if (uploaded) return pendingUpload(uploaded) ?? SKIP;
  if (value === null || value === '') return null;
  if (typeof value === 'string') return new FileName(value); // vouched for only if held (save.ts)
  if (isUpload(value)) return pendingUpload(value) ?? SKIP;
  errors[path] = { type: 'file', message: 'Takes an uploaded file, or the name it already holds.' };
  return SKIP;
}

function readObject(specs: readonly PropertySpec[], value: unknown, path: string, reading: Reading): Out {
  if (value === null || value === '') return null;
  if (!isPlainObject(value)) {
    reading.errors[path] = { type: 'type', message: 'Takes an embedded document: an object of its fields.' };
    return SKIP;
  }
  const out: Record<string, unknown> = {};
  for (const spec of specs) {
    if (spec.isEditable === false || !Object.hasOwn(value, spec.name)) continue;
    const read = readValue(spec, value[spec.name], `${path}.${spec.name}`, reading);
    if (read !== SKIP) out[spec.name] = read;
  }
  return out;
}

function readValue(spec: PropertySpec, value: unknown, path: string, reading: Reading): Out {
  if (value === undefined) return SKIP;
  const { errors } = reading;
  if (spec.kind === 'json') return readJSON(value, path, errors);
  if (spec.kind === 'file' || spec.kind === 'image') return readFile(value, path, reading);
  if (spec.isArray) {
    const items = itemsOf(value);
    if (!items) {
      errors[path] = { type: 'type', message: 'Takes a list.' };
      return SKIP;
    }
    const subs = spec.subProperties;
    const read = items.map((item, i) =>
      spec.type === 'mixed' && subs
        ? readObject(subs, item, `${path}.${i}`, reading)
        : readScalar(spec, item, `${path}.${i}`, errors),
    );
    return read.some((item) => item === SKIP) ? SKIP : read;
  }
  if (spec.type === 'mixed' && spec.subProperties) return readObject(spec.subProperties, value, path, reading);
  return readScalar(spec, value, path, errors);
}

/**
 * The values AdminJS params set on a document, by top-level field, read
 * through the resource's editable properties only; `flat` params
 * (`comments.0.text`) and nested ones (`comments: [{ text }]`) both work.
 *
 * @example
 * ```ts
 * readParams(specs, { headline: 'Hey', 'blog.name': 'Beatles', 'comments.0.text': 'Nice', id: '99' });
 * // { values: { headline: 'Hey', blog: { name: 'Beatles' }, comments: [{ text: 'Nice' }] }, errors: {} }: id is not editable
 * ```
 */
export function readParams(specs: readonly PropertySpec[], params: Readonly<Record<string, unknown>>): ReadParams {
  const errors: ParamErrors = {};
  const reading: Reading = { errors, uploads: uploadsAt(params) };
  const values: Record<string, unknown> = {};
  for (const spec of specs) {
    if (spec.isEditable === false) continue;
    const raw: unknown = Object.hasOwn(params, spec.name)
      ? params[spec.name]
      : flat.get(params as ParamsType, spec.name);
    const read = readValue(spec, raw, spec.name, reading);
    if (read !== SKIP) values[spec.name] = read;
  }
  return { values, errors };
}
