// djongoose/plugins: the Mongoose schema plugins.
export { connectionSettings } from '../core/connect.js';
export type { ConnectionSettings } from '../core/connect.js';
export { manager } from './manager-plugin.js';
export type { Managed, ManagerClass, ManagerPluginOptions } from './manager-plugin.js';
export { djongo } from './djongo.js';
export { fSave } from './f-save.js';
export { jsonFields } from '../fields/json.js';
export { enforceSchema, ENFORCE_SCHEMA_OPTION } from './enforce-schema/index.js';
export type { EnforceSchemaOptions, EnforceSchemaQueryOptions } from './enforce-schema/index.js';
export { forgetCollections } from './enforce-schema/collections.js';
export { autoIncrement, PRIMARY_KEY_INDEX } from './auto-increment/index.js';
export type { AutoIncrementOptions } from './auto-increment/index.js';
