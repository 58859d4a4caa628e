// A model's fields as AdminJS property specs, read from the schema's one
// shape (core/schema-shape.ts): embedded documents and nested objects become
// mixed properties with sub-properties, lists are isArray, references name
// the referenced model's resource, and djongoose's own fields (JSONField,
// FileField, ImageField, the auto-increment id) carry a kind for the UI.
import type { PropertyType } from 'adminjs';
import type { Schema, SchemaType } from 'mongoose';
import { shapeOf, type FieldShape, type ShapeLevel } from '../core/schema-shape.js';
import type { DjongooseKind, PropertySpec } from './property.js';

// A schema may embed itself (a tree of comments); AdminJS's forms nest this deep at most.
const MAX_DEPTH = 4;

const SCALAR_TYPES: ReadonlyMap<string, PropertyType> = new Map([
  ['String', 'string'],
  ['Number', 'number'],
  ['Double', 'number'],
  ['Int32', 'number'],
  ['BigInt', 'number'],
  ['Decimal128', 'float'],
  ['Boolean', 'boolean'],
  ['Date', 'datetime'],
  ['ObjectId', 'string'],
  ['UUID', 'uuid'],
]);

/** The AdminJS resource id of a `ref`: the model name it gives or names. */
export function referenceOf(ref: unknown): string | null {
  if (typeof ref === 'string') return ref;
  if (typeof ref === 'function' && 'modelName' in ref && typeof ref.modelName === 'string') return ref.modelName;
  return null;
}

function enumOf(type: SchemaType | undefined): readonly string[] | null {
  const values = (type as { enumValues?: unknown } | undefined)?.enumValues;
  return Array.isArray(values) && values.length > 0 && values.every((v) => typeof v === 'string') ? values : null;
}

function requiredOf(type: SchemaType | undefined): boolean {
  return Boolean((type as { isRequired?: unknown } | undefined)?.isRequired);
}

function fileKind(field: FieldShape): DjongooseKind {
  return (field.schemaType as { imageOnly?: unknown } | undefined)?.imageOnly === true ? 'image' : 'file';
}

type ScalarFacts = Pick<PropertySpec, 'type' | 'reference' | 'availableValues'>;

function scalarSpec(field: FieldShape, instance: string | undefined, type: SchemaType | undefined): ScalarFacts {
  const reference = referenceOf(field.ref);
  return {
    type: reference ? 'reference' : (SCALAR_TYPES.get(instance ?? '') ?? 'string'),
    ...(instance === undefined ? {} : { instance }),
    reference,
    availableValues: enumOf(type),
  };
}

function specOf(
  field: FieldShape,
  position: number,
  autoField: string | undefined,
  depth: number,
): PropertySpec | undefined {
  const base = { name: field.key, path: field.path, position, isRequired: requiredOf(field.schemaType) };
  if (field.path === '_id')
    return {
      ...base,
      type: 'string',
      instance: field.instance ?? 'ObjectId',
      isId: true,
      isEditable: false,
      isRequired: false,
    };
  if (field.path === autoField)
    return { ...base, type: 'number', instance: 'Number', isEditable: false, isRequired: false, kind: 'autoId' };
  if (field.file) return { ...base, type: 'string', instance: 'String', kind: fileKind(field) };
  switch (field.kind) {
    case 'scalar':
      return { ...base, ...scalarSpec(field, field.instance, field.schemaType) };
    case 'scalarArray':
      return {
        ...base,
        ...scalarSpec(field, field.element?.instance, field.element),
        isArray: true,
        isSortable: false,
      };
    case 'embedded':
    case 'nested':
    case 'embeddedArray': {
      if (depth >= MAX_DEPTH || !field.child) return undefined;
      return {
        ...base,
        type: 'mixed',
        isArray: field.kind === 'embeddedArray',
        isSortable: false,
        subProperties: specsOf(field.child, undefined, depth + 1),
      };
    }
    case 'mixed':
      // A JSONField, or any Mixed: edited as JSON text, checked on save.
      return { ...base, type: 'textarea', isSortable: false, kind: 'json' };
    case 'map':
      return { ...base, type: 'key-value', isSortable: false, isEditable: false };
  }
}

function specsOf(level: ShapeLevel, autoField: string | undefined, depth: number): PropertySpec[] {
  return level.fields.flatMap((field, index) => {
    // Embedded documents' own ids are Mongoose's bookkeeping, not fields to edit.
    if (depth > 0 && field.key === '_id') return [];
    const spec = specOf(field, index + 1, autoField, depth);
    return spec ? [spec] : [];
  });
}

/**
 * The AdminJS property specs of a schema's fields, in declaration order, the
 * auto-increment id first; the version key is left out.
 *
 * @example
 * ```ts
 * propertySpecs(entrySchema).map((p) => `${p.path}:${p.type}`);
 * // ['id:number', '_id:string', 'headline:string', 'blog:mixed', 'comments:mixed', 'data:textarea']
 * ```
 */
export function propertySpecs(schema: Schema): PropertySpec[] {
  const shape = shapeOf(schema);
  const specs = specsOf(shape, shape.autoField, 0).filter((spec) => spec.path !== shape.versionKey);
  // The ids first, as Django's admin shows the pk first.
  const rank = (spec: PropertySpec): number => (spec.kind === 'autoId' ? 0 : spec.isId ? 1 : 2);
  return specs.sort((a, b) => rank(a) - rank(b)).map((spec, index) => ({ ...spec, position: index + 1 }));
}
