// Schemas whose reads a plugin changes: enforceSchema fills a missing field
// with null (lax) or raises MigrationError (strict) as documents are read.
// A document of such a schema must reach the user through a query, or
// Model.hydrate(), which run the plugin; never as a raw row another model's
// aggregate carried (a lean selectRelated join), which nothing would check.
const schemas = new WeakSet<object>();

/**
 * Records that a plugin changes how documents of `schema` read.
 *
 * @example
 * ```ts
 * markReadPlugin(model.schema); // in the plugin, for every model compiled from its schema
 * ```
 */
export function markReadPlugin(schema: object): void {
  schemas.add(schema);
}

/**
 * Whether a plugin changes how documents of `schema` read.
 *
 * @example
 * ```ts
 * if (hasReadPlugin(Author.schema)) readThroughTheModel();
 * ```
 */
export function hasReadPlugin(schema: object): boolean {
  return schemas.has(schema);
}
