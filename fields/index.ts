// djongoose/fields: djongo's model fields as Mongoose path definitions, and
// the related managers of ArrayReferenceField.
export { abstractModel, isAbstract } from './abstract.js';
export type { AbstractSchema } from './abstract.js';
export { EmbeddedField, ArrayField } from './embedded.js';
export type {
  EmbeddedFieldOptions,
  EmbeddedFieldDefinition,
  EmbeddedValue,
  ArrayFieldOptions,
  ArrayFieldDefinition,
  ArrayItem,
  ArrayScalarType,
} from './embedded.js';
export { ArrayReferenceField, referencePaths } from './array-reference.js';
export type {
  ArrayReferenceFieldOptions,
  ArrayReferenceFieldDefinition,
  ReferenceKeyType,
  ReferenceTarget,
  ReferenceInput,
  ArrayPaths,
  ArrayPathOf,
} from './array-reference.js';
export { references } from './references.js';
export type { References } from './references.js';
export { referencedBy } from './referenced-by.js';
export type { ReferencedBy } from './referenced-by.js';
export { JSONField, jsonFields } from './json.js';
export type { JSONFieldOptions, JSONFieldDefinition, JSONValue } from './json.js';
export { ObjectIdField, GenericObjectIdField } from './object-id.js';
export type { ObjectIdFieldOptions, ObjectIdFieldDefinition } from './object-id.js';
export type { PresenceOptions } from './options.js';
