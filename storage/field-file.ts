// The handle a file path reads as, Django's FieldFile: the stored name, its
// URL, and the storage operations for that one file.
import type { Readable } from 'node:stream';
import type { Document } from 'mongoose';
import type { FileContent } from './content.js';
import { brand } from '../core/brand.js';
import { FileNotFound } from '../core/errors.js';
import type { FilePath } from './file-path.js';
import type { OpenOptions } from './file-types.js';

/** Options of {@link FieldFile.save} and {@link FieldFile.delete}. */
export interface FieldFileSaveOptions {
  /** Save the document afterwards, as Django's `save=True`. Default true. */
  readonly save?: boolean;
  /**
   * Used only when the sniffer does not recognise the bytes (they would be
   * stored as application/octet-stream) and never for text, HTML, XML or
   * script types; otherwise the sniffed type is stored. Checked as a content
   * type either way (InvalidContentType).
   */
  readonly contentType?: string;
}

/**
 * `doc.avatar`: the file a document's file path names. `name` is null when
 * the path is empty. Its string form (and JSON) is the name, as in Django.
 *
 * @example
 * ```ts
 * const profile = (await Profile.findOne())!;
 * profile.avatar.name; // 'avatars/2026/03/me.png'
 * profile.avatar.url; // '/media/avatars/2026/03/me.png'
 * (await profile.avatar.open()).pipe(res);
 * await profile.avatar.save('new.png', pngBytes); // uploads, sets the path, saves the document
 * ```
 */
export class FieldFile {
  static {
    brand(this, 'FieldFile');
  }

  constructor(
    /** The document. */
    readonly instance: Document,
    /** The file path's schema type. */
    readonly field: FilePath,
    /** The stored name, relative to the storage's location; null when empty. */
    readonly name: string | null,
  ) {}

  #required(): string {
    if (this.name === null) {
      throw new FileNotFound(
        '',
        this.field.storage.collection,
        `The ${JSON.stringify(this.field.path)} attribute has no file associated with it; assign content or call .save(name, content) first.`,
      );
    }
    return this.name;
  }

  /** The file's URL, from the storage's baseUrl. */
  get url(): string {
    return this.field.storage.url(this.#required());
  }

  /**
   * The file's size in bytes.
   *
   * @example
   * ```ts
   * await profile.avatar.size(); // 1234
   * ```
   */
  size(): Promise<number> {
    return this.field.storage.size(this.#required());
  }

  /**
   * Whether the named file is stored.
   *
   * @example
   * ```ts
   * await profile.avatar.exists(); // true
   * ```
   */
  async exists(): Promise<boolean> {
    return this.name !== null && (await this.field.storage.exists(this.name));
  }

  /**
   * A readable stream of the file (or of a byte range, `end` exclusive).
   *
   * @example
   * ```ts
   * (await profile.avatar.open()).pipe(res);
   * ```
   */
  open(options?: OpenOptions): Promise<Readable> {
    return this.field.storage.open(this.#required(), options);
  }

  /**
   * Uploads `content` as `name` (under uploadTo), sets the path to the stored
   * name, fills an ImageField's dimension paths, and saves the document unless
   * `{ save: false }`. Returns the stored name.
   *
   * @example
   * ```ts
   * await profile.avatar.save('me.png', fs.createReadStream('me.png'));
   * ```
   */
  async save(name: string, content: FileContent, options: FieldFileSaveOptions = {}): Promise<string> {
    const stored = await this.field.store(this.instance, {
      name: this.field.generateFilename(this.instance, name),
      content,
      contentType: options.contentType,
      dimensions: this.field.checkContent(content, name),
    });
    if (options.save ?? true) await this.instance.save();
    return stored;
  }

  /**
   * Deletes the stored file now, empties the path, and saves the document
   * unless `{ save: false }`, as Django's FieldFile.delete().
   *
   * @example
   * ```ts
   * await profile.avatar.delete();
   * ```
   */
  async delete(options: Pick<FieldFileSaveOptions, 'save'> = {}): Promise<void> {
    if (this.name !== null) await this.field.storage.delete(this.name);
    this.instance.set(this.field.path, null);
    if (options.save ?? true) await this.instance.save();
  }

  /** The name, or `''` when empty. */
  toString(): string {
    return this.name ?? '';
  }

  /** The name, or null: what JSON shows, as the stored value. */
  toJSON(): string | null {
    return this.name;
  }
}
