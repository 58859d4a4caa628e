// Writing a name: Django's get_available_name (the name, or an alternative
// when it is taken) and save(), which streams the content into the place the
// storage's buckets give the name, under the checked or guessed content type.
import type { StorageBuckets, OpenPlace } from './buckets.js';
import { contentChunks, guessContentType, type FileContent } from './content.js';
import { checkContentType } from './content-type.js';
import type { SaveOptions } from './file-types.js';
import { alternativeName, cleanPath } from './names.js';
import { uploadFile } from './upload.js';

/**
 * The filename itself if no file of the bucket has it, else Django's
 * alternative (`name_<7 random characters>.ext`) that none has.
 *
 * @example
 * ```ts
 * await availableFilename(await buckets.place('docs/a.txt')); // 'a_Xb3k9Qz.txt' in djongo's layout, when taken
 * ```
 */
export async function availableFilename({ open, filename }: OpenPlace): Promise<string> {
  let candidate = filename;
  while (await open.files.findOne({ filename: candidate }, { projection: { _id: 1 } })) {
    candidate = alternativeName(filename);
  }
  return candidate;
}

/**
 * Stores `content` under `name` or an available alternative, and returns the
 * stored name. The content type is checked before anything is written.
 *
 * @example
 * ```ts
 * await saveFile(buckets, 'docs/a.txt', 'hello', {}); // 'docs/a.txt'
 * ```
 */
export async function saveFile(
  buckets: StorageBuckets,
  name: string,
  content: FileContent,
  options: SaveOptions,
): Promise<string> {
  cleanPath(name);
  // Checked before anything is written: a stored type is sent as a header by serve().
  const given = options.contentType ?? options.metadata?.['contentType'];
  if (given !== undefined) checkContentType(given, name);
  const chunks = contentChunks(content, name);
  const place = await buckets.place(name);
  await buckets.indexed(place.open, place.bucket);
  const available = await availableFilename(place);
  const contentType = (given as string | undefined) ?? guessContentType(place.filename);
  const metadata = { ...options.metadata, ...(contentType ? { contentType } : {}) };
  const stored = await uploadFile(place.open, available, chunks, metadata, alternativeName);
  return buckets.nameOf(place.layout, place.bucket, stored.filename);
}
