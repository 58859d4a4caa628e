// djongoose/admin: an AdminJS adapter (Database, Resource, Property) built on
// djongoose's managers, and Django's ModelAdmin vocabulary (modelAdmin).
// AdminJS is an optional peer dependency: only this entry point loads it.
export { Database } from './database.js';
export { Resource, SEARCH_PATH } from './resource.js';
export type { ResourceSettings, AdminModel } from './resource.js';
export { Property } from './property.js';
export type { PropertySpec, DjongooseKind } from './property.js';
export { modelAdmin } from './model-admin.js';
export type { FieldName, Fieldset, ModelAdminOptions } from './model-admin.js';
export { compileFilters } from './filter.js';
export type { FilterElementInput, FilterScope } from './filter.js';
export { isUpload } from './uploads.js';
export { showMigrationErrors, MIGRATION_ERROR_PATH, MIGRATION_ERROR_COMPONENT } from './migration-error.js';
export type { UploadedFormFile } from './uploads.js';
export type { DjongooseMarker } from './markers.js';
