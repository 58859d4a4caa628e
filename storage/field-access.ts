// Typed access to file paths. A schema's raw type says what is stored (the
// name, a string: what queries compare); the hydrated document reads the path
// as a FieldFile. FileFields<K> is the hydrated override for Mongoose's
// HydratedDocument; fieldFile() reads the handle whatever the document type.
import type { Document } from 'mongoose';
import { ImproperlyConfigured } from '../core/errors.js';
import { FieldFile } from './field-file.js';

/**
 * The hydrated-document override for file paths: `HydratedDocument<Profile, FileFields<'avatar'>>`.
 *
 * @example
 * ```ts
 * import type { HydratedDocument, Model } from 'mongoose';
 * interface Profile { user: string; avatar?: string | null }
 * type ProfileDoc = HydratedDocument<Profile, FileFields<'avatar'>>;
 * const Profile = conn.model<Profile, Model<Profile, {}, {}, {}, ProfileDoc>>('Profile', profileSchema);
 * (await Profile.findOne().orFail()).avatar.url; // typed FieldFile
 * ```
 */
export type FileFields<K extends string> = { [P in K]: FieldFile };

/**
 * The FieldFile of a document's file path, typed, for documents whose type
 * declares the stored name (e.g. from `Model.objects`).
 *
 * @example
 * ```ts
 * const profile = await Profile.objects.get({ user: 'ann' });
 * fieldFile(profile, 'avatar').url; // '/media/avatars/2026/03/me.png'
 * ```
 */
export function fieldFile<D extends Document>(doc: D, path: keyof D & string): FieldFile {
  const value = doc.get(path) as unknown;
  if (value instanceof FieldFile) return value;
  throw new ImproperlyConfigured(
    `${path} is not a FileField or ImageField path of ${doc.constructor.name}; declare it as { type: FileField, storage }.`,
  );
}
