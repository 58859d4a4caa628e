// djongoose works with the Mongoose it resolves (its peerDependency). A schema
// made by another copy (npm link, or an app pinned to another version) breaks
// quietly: that copy's connection.model() clones the schema with its own
// Schema class, which drops the 'init' listener the manager plugin relies on
// (Model.objects is undefined), and djongoose's `instanceof mongoose.Document`
// checks fail on its documents. So the plugins refuse such a schema up front.
import mongoose, { type Schema } from 'mongoose';
import { ImproperlyConfigured } from './errors.js';
import { mongooseVersionOf } from './mongoose-internals.js';

/**
 * Throws {@link ImproperlyConfigured} when `schema` was made by a copy of
 * Mongoose other than djongoose's, naming both versions and how to dedupe.
 *
 * @example
 * ```ts
 * export function manager(schema: Schema): void {
 *   checkSameMongoose(schema, 'manager');
 *   // … install the plugin
 * }
 * ```
 */
export function checkSameMongoose(schema: Schema, plugin: string): void {
  if (schema instanceof mongoose.Schema) return;
  throw new ImproperlyConfigured(
    `schema.plugin(${plugin}): the schema was made by another copy of Mongoose (${mongooseVersionOf(schema) ?? 'unknown version'}) than the ` +
      `one djongoose uses (${mongoose.version}). With two copies, Mongoose clones the schema and drops djongoose's ` +
      `hooks (Model.objects is undefined). Load one copy: \`npm ls mongoose\` lists them; \`npm dedupe\`, the same ` +
      `version in your package.json, or "overrides": { "mongoose": "${mongoose.version}" } merges them. With ` +
      "`npm link`, the linked folder's own node_modules/mongoose is found first: install djongoose from " +
      "`npm pack`'s tarball instead, or remove that folder's node_modules/mongoose.",
  );
}
