// What the bulk and batch operations take, checked before anything is sent.
// bulkCreate's items must be a list: a string or a lone object would
// otherwise reach `.map` deep inside and fail with a raw TypeError. Its
// documents must be of its own model (or a discriminator of it): insertMany
// would store another model's document in this model's collection. A
// cursor's chunk size must be a whole number of at least 1, as Django's is.
import mongoose from 'mongoose';
import { ValidationError } from '../core/errors.js';
import { describe } from '../core/values.js';

/**
 * Throws {@link ValidationError} unless `docs` is a list (an array).
 *
 * @example
 * ```ts
 * assertBulkList([{ headline: 'a' }], 'Entry'); // fine
 * assertBulkList('HELLO WORLD', 'Entry');
 * // ValidationError: Entry.objects.bulkCreate takes a list of plain objects (field → value) or documents of Entry, not the string "HELLO WORLD".
 * ```
 */
export function assertBulkList(docs: unknown, modelName: string): asserts docs is readonly unknown[] {
  if (Array.isArray(docs)) return;
  throw new ValidationError(
    `${modelName}.objects.bulkCreate takes a list of plain objects (field → value) or documents of ` +
      `${modelName}, not ${describe(docs, { contents: false })}.`,
    modelName,
  );
}

/** What the checks read of a model, whatever its document type. */
interface ModelNames {
  readonly modelName: string;
  readonly discriminators?: Readonly<Record<string, { readonly modelName: string }>> | undefined;
}

/** True when `made` is `model` (on any connection) or one of its discriminators (Mongoose allows one level). */
function isModelOrDiscriminator(model: ModelNames, made: ModelNames): boolean {
  const names = [model, ...Object.values(model.discriminators ?? {})].map((m) => m.modelName);
  return names.includes(made.modelName);
}

/**
 * Throws {@link ValidationError} unless `doc` was made by `model` or by one
 * of its discriminators: a document of another model, or an embedded
 * document, does not belong in the model's collection.
 *
 * @example
 * ```ts
 * assertOwnDocument(Blog, new Blog({ title: 'a' }), 0); // fine
 * assertOwnDocument(Blog, new Author({}), 0);
 * // ValidationError: Blog.objects.bulkCreate takes documents of Blog or of its discriminators; item 0 is a document of Author.
 * ```
 */
export function assertOwnDocument(model: ModelNames, doc: mongoose.Document, index: number): void {
  const made = doc instanceof mongoose.Model ? (doc.$model() as ModelNames) : undefined;
  if (made && isModelOrDiscriminator(model, made)) return;
  throw new ValidationError(
    `${model.modelName}.objects.bulkCreate takes plain objects (field → value) or documents of ` +
      `${model.modelName} or of its discriminators; item ${index} is ` +
      `${made ? `a document of ${made.modelName}` : 'an embedded document'}.`,
    model.modelName,
  );
}

/**
 * Throws {@link ValidationError} unless an iterator's `chunkSize` is unset or
 * a whole number of at least 1 (Django: "Chunk size must be strictly positive.").
 *
 * @example
 * ```ts
 * assertChunkSize(500, 'Entry'); // fine
 * assertChunkSize(-1, 'Entry');
 * // ValidationError: Entry: iterator() chunkSize must be strictly positive: a whole number of at least 1, not -1.
 * ```
 */
export function assertChunkSize(chunkSize: unknown, modelName: string): void {
  if (chunkSize === undefined || (Number.isSafeInteger(chunkSize) && (chunkSize as number) >= 1)) return;
  const shown = typeof chunkSize === 'number' ? String(chunkSize) : describe(chunkSize);
  throw new ValidationError(
    `${modelName}: iterator() chunkSize must be strictly positive: a whole number of at least 1, not ${shown}.`,
    modelName,
  );
}
