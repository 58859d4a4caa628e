// A stored document as AdminJS record params: only the resource's
// properties, each value in a form the browser shows and sends back (ids and
// decimals as text, JSON fields as JSON text), flattened the way AdminJS
// keys its forms (`blog.name`, `comments.0.text`).
import mongoose from 'mongoose';
import { flat, type ParamsType } from 'adminjs';
import { isRecord } from '../core/values.js';
import type { PropertySpec } from './property.js';

function scalarOut(value: unknown): unknown {
  if (value instanceof mongoose.Types.ObjectId) return value.toHexString();
  if (value instanceof mongoose.Types.Decimal128) return value.toString();
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof mongoose.mongo.Binary || Buffer.isBuffer(value)) return undefined;
  if (isRecord(value) && !(value instanceof Date)) return String(value); // a UUID object, a FieldFile
  return value;
}

function valueOut(spec: PropertySpec, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (spec.kind === 'json') return JSON.stringify(value, null, 2);
  const subs = spec.subProperties;
  if (spec.type === 'mixed' && subs) {
    if (!spec.isArray) return objectOut(subs, value);
    return Array.isArray(value) ? value.map((item) => objectOut(subs, item)) : [];
  }
  if (spec.isArray) return Array.isArray(value) ? value.map(scalarOut) : [];
  return scalarOut(value);
}

function objectOut(specs: readonly PropertySpec[], value: unknown): Record<string, unknown> | null {
  if (!isRecord(value)) return null;
  const out: Record<string, unknown> = {};
  for (const spec of specs) {
    if (Object.hasOwn(value, spec.name)) out[spec.name] = valueOut(spec, value[spec.name]);
  }
  return out;
}

/**
 * The record params of a plain document (`doc.toObject()` or a raw row):
 * the resource's properties only, flattened.
 *
 * @example
 * ```ts
 * paramsOf(specs, { _id, headline: 'Hey', blog: { name: 'Beatles' }, data: { a: 1 } });
 * // { _id: '64b…', headline: 'Hey', 'blog.name': 'Beatles', data: '{\n  "a": 1\n}' }
 * ```
 */
export function paramsOf(specs: readonly PropertySpec[], plain: Record<string, unknown>): ParamsType {
  return flat.flatten(objectOut(specs, plain) ?? {});
}
