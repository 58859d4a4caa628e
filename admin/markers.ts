// The resource options every djongoose resource starts from: each property
// of a djongoose kind (file, image, json, autoId) carries it in
// `custom.djongoose`, with the storage's base URL for files, so that UI
// components (an upload input, a thumbnail, a JSON editor) can hook onto
// them. The app's own options are laid over these.
import type { ResourceOptions } from 'adminjs';
import type { Schema } from 'mongoose';
import type { PropertySpec } from './property.js';

type PropertyOptions = NonNullable<ResourceOptions['properties']>[string];

/** What `property.custom.djongoose` holds. */
export interface DjongooseMarker {
  readonly kind: 'file' | 'image' | 'json' | 'autoId';
  /** For files: the storage's `baseUrl`, where `storage.serve()` answers, if it has one. */
  readonly baseUrl?: string;
}

function baseUrlOf(schema: Schema, path: string): string | undefined {
  const storage = (schema.path(path) as { storage?: { baseUrl?: unknown } } | undefined)?.storage;
  return typeof storage?.baseUrl === 'string' ? storage.baseUrl : undefined;
}

function markersOf(schema: Schema, specs: readonly PropertySpec[], into: Record<string, PropertyOptions>): void {
  for (const spec of specs) {
    const kind = spec.kind;
    if (kind === 'file' || kind === 'image' || kind === 'json' || kind === 'autoId') {
      const baseUrl = kind === 'file' || kind === 'image' ? baseUrlOf(schema, spec.path) : undefined;
      const marker: DjongooseMarker = { kind, ...(baseUrl === undefined ? {} : { baseUrl }) };
      into[spec.path] = { custom: { djongoose: marker } };
    }
    if (spec.subProperties) markersOf(schema, spec.subProperties, into);
  }
}

/**
 * The app's resource options over djongoose's markers; a property's
 * `custom` objects are merged, the app's keys winning.
 *
 * @example
 * ```ts
 * withMarkers(Author.schema, specs, { properties: { name: { isTitle: true } } }).properties?.avatar?.custom;
 * // { djongoose: { kind: 'image', baseUrl: '/media/' } }
 * ```
 */
export function withMarkers(
  schema: Schema,
  specs: readonly PropertySpec[],
  options: ResourceOptions = {},
): ResourceOptions {
  const properties: Record<string, PropertyOptions> = {};
  markersOf(schema, specs, properties);
  for (const [path, given] of Object.entries(options.properties ?? {})) {
    const ours = properties[path];
    properties[path] = ours ? { ...ours, ...given, custom: { ...ours.custom, ...given.custom } } : given;
  }
  return Object.keys(properties).length > 0 ? { ...options, properties } : options;
}
