// schema.plugin(djongo): every djongoose plugin with its defaults, in one line.
// New plugins join here as they land.
import type { Schema } from 'mongoose';
import { manager } from './manager-plugin.js';
import { jsonFields } from '../fields/json.js';
import { enforceSchema } from './enforce-schema/index.js';
import { checkSameMongoose } from '../core/one-mongoose.js';

/**
 * Applies every djongoose plugin with its defaults.
 *
 * @example
 * ```ts
 * import { djongo } from 'djongoose/plugins';
 * entrySchema.plugin(djongo);
 * const Entry = conn.model<EntryRaw, Managed<EntryRaw>>('Entry', entrySchema);
 * await Entry.objects.all();
 * ```
 */
export function djongo(schema: Schema): void {
  checkSameMongoose(schema, 'djongo');
  schema.plugin(manager);
  schema.plugin(jsonFields);
  schema.plugin(enforceSchema);
}
