// The MigrationErrors strict mode raises, worded in one place so that a read
// and an aggregation row report a disagreeing document alike, and a strict
// write to a missing collection always says to run `djongoose migrate`.
import type { Model } from 'mongoose';
import { MigrationError } from '../../core/errors.js';
import type { Findings } from './plan.js';

/**
 * MigrationError for one document.
 *
 * @example
 * ```ts
 * throw documentError('Blog', blog._id, { missing: ['description'], unknown: ['legacy'] });
 * // Blog 1: the document lacks description; unknown fields: legacy. ENFORCE_SCHEMA is strict: …
 * ```
 */
export function documentError(modelName: string, id: unknown, findings: Findings): MigrationError {
  const parts: string[] = [];
  if (findings.missing.length > 0) parts.push(`the document lacks ${findings.missing.join(', ')}`);
  if (findings.unknown.length > 0) parts.push(`unknown fields: ${findings.unknown.join(', ')}`);
  return new MigrationError(
    `${modelName} ${String(id)}: ${parts.join('; ')}. ENFORCE_SCHEMA is strict: run \`djongoose check\`, then migrate, or make the model match.`,
    modelName,
    { id, missing: findings.missing, unknown: findings.unknown },
  );
}

/**
 * MigrationError for a strict write to a collection `migrate` has not
 * created, naming the collection and its database.
 *
 * @example
 * ```ts
 * if (!(await collectionExists(conn, Blog.collection.collectionName))) throw missingCollectionError(Blog);
 * ```
 */
export function missingCollectionError(model: Model<never>): MigrationError {
  const name = model.collection.collectionName;
  return new MigrationError(
    `${model.modelName}: the collection ${JSON.stringify(name)} does not exist in database ${JSON.stringify(model.db.name)}; ` +
      'migrate has not created it. ENFORCE_SCHEMA is strict, so nothing creates it implicitly: run `djongoose migrate`.',
    model.modelName,
  );
}

/**
 * MigrationError for a strict update that would make documents disagree
 * with the model: remove model fields, or rename one to a name the model
 * does not know. Nothing was sent.
 *
 * @example
 * ```ts
 * throw driftingUpdateError('Entry', { missing: ['rating'], unknown: [] });
 * // Entry: the update would remove rating from the documents it changes. ENFORCE_SCHEMA is strict: …
 * ```
 */
export function driftingUpdateError(modelName: string, findings: Findings): MigrationError {
  const parts: string[] = [];
  if (findings.missing.length > 0) parts.push(`remove ${findings.missing.join(', ')}`);
  if (findings.unknown.length > 0) parts.push(`add fields the model does not know: ${findings.unknown.join(', ')}`);
  return new MigrationError(
    `${modelName}: the update would ${parts.join(' and ')} in the documents it changes, and nothing was written. ` +
      'ENFORCE_SCHEMA is strict: set a field to null instead of removing it, or change the model and migrate.',
    modelName,
    { missing: findings.missing, unknown: findings.unknown },
  );
}
