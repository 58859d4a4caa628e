// A server's duplicate-key refusal as djongoose's IntegrityError. The
// server's message quotes the colliding values ("dup key: { email: … }"),
// which may be secret, so only the index is read from it.
import { IntegrityError } from '../core/errors.js';
import { isDuplicateKey } from '../core/values.js';

interface ServerError {
  readonly keyPattern?: unknown;
  readonly errmsg?: unknown;
  readonly message?: unknown;
  readonly writeErrors?: readonly { readonly errmsg?: unknown; readonly err?: { readonly errmsg?: unknown } }[];
}

/** The fields of the refusing index: from keyPattern, else from the index name in the message. */
function indexFields(err: ServerError): string[] {
  if (typeof err.keyPattern === 'object' && err.keyPattern !== null) return Object.keys(err.keyPattern);
  const first = err.writeErrors?.[0];
  const text = [err.errmsg, first?.errmsg, first?.err?.errmsg, err.message].find((m) => typeof m === 'string');
  const index = typeof text === 'string' ? /index: (\S+)/.exec(text)?.[1] : undefined;
  if (index === undefined) return [];
  if (index === '_id_') return ['_id'];
  // Mongo's default index names: field_1 (or _-1, _text, _hashed…) per key.
  return index.split(/_(?:-?1|text|hashed|2d|2dsphere)(?:_|$)/).filter((part) => part !== '');
}

/**
 * Throws {@link IntegrityError} for a duplicate-key error, naming the model
 * and the index's fields but no value; any other error is returned as it is.
 *
 * @example
 * ```ts
 * try { await doc.save(); } catch (err) { throw duplicateKeyAsIntegrity(err, 'Account'); }
 * // IntegrityError: Account: duplicate key on the unique index of email; …
 * ```
 */
export function duplicateKeyAsIntegrity(err: unknown, modelName: string): unknown {
  if (!isDuplicateKey(err)) return err;
  const fields = indexFields(err as ServerError);
  const which = fields.length > 0 ? `the unique index of ${fields.join(', ')}` : 'a unique index';
  return new IntegrityError(
    `${modelName}: duplicate key on ${which}; a document with the same value already exists. ` +
      'Give another value, or use getOrCreate to fetch the existing document.',
    fields,
  );
}
