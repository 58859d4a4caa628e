import mongoose from 'mongoose';
import { brand } from './brand.js';

/**
 * Every error djongoose throws on purpose is one of these classes, so callers
 * can tell a bad setting from a failed connection with `instanceof`.
 * {@link ValidationError} extends Mongoose's ValidationError instead, and is
 * a DjongooseError for `instanceof` all the same.
 *
 * @example
 * ```ts
 * import { connect, ImproperlyConfigured } from 'djongoose';
 * try {
 *   await connect({ NAME: '' });
 * } catch (err) {
 *   if (err instanceof ImproperlyConfigured) console.error(err.message);
 * }
 * ```
 */
export class DjongooseError extends Error {
  static {
    // `instanceof` holds for errors thrown by the other build (ESM/CJS) too.
    brand(this, 'DjongooseError');
  }

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A setting is missing, has the wrong type or names something djongoose does
 * not know. Raised before anything touches the network. Django's name.
 *
 * @example
 * ```ts
 * await connect({ ENGINE: 'djongo' }); // ImproperlyConfigured: Settings NAME is required: the database name, e.g. { NAME: 'blog' }.
 * ```
 */
export class ImproperlyConfigured extends DjongooseError {}

/**
 * The database could not be used: unreachable host, refused authentication.
 * Django (PEP 249) calls this an OperationalError. Its message names the hosts
 * and never contains the password.
 *
 * @example
 * ```ts
 * try {
 *   await connect({ NAME: 'blog', CLIENT: { host: '127.0.0.1', port: 1 } });
 * } catch (err) {
 *   if (err instanceof OperationalError) console.error(err.hosts, err.message);
 * }
 * ```
 */
export class OperationalError extends DjongooseError {
  /** The `host:port` pairs that were tried, without credentials. */
  readonly hosts: readonly string[];

  constructor(message: string, hosts: readonly string[], options?: { cause?: unknown }) {
    super(message, options);
    this.hosts = hosts;
  }
}

/**
 * A filter, ordering or update names a field or lookup the model does not
 * have. The message lists the valid choices at that point and the closest.
 *
 * @example
 * ```ts
 * // @ts-expect-error: on a typed model, the compiler refuses it too
 * Entry.objects.filter({ headlin: 'x' }); // FieldError: Cannot resolve keyword "headlin" into field of Entry. Choices are: … Did you mean "headline"?
 * ```
 */
export class FieldError extends DjongooseError {}

/**
 * A key crosses a reference (`author__name`, where `author` is an ObjectId
 * `ref`) where a traversal cannot be compiled: in an update key, an F() of
 * a filter, only/defer, or to a model that is not registered. Filters
 * (filter, exclude, Q) compile it, and aggregates, annotations, values and
 * orderBy read it through $lookup; to read the referenced document's fields
 * on documents, `selectRelated` loads it. A FieldError too, so existing
 * handlers keep catching it.
 *
 * @example
 * ```ts
 * Entry.objects.filter({ authors__name: F('headline') }); // authors: [{ type: ObjectId, ref: 'Author' }]
 * // RelationError: Entry.authors is a reference to Author: "authors__name" crosses it. … prefetchRelated('authors'). …
 * ```
 */
export class RelationError extends FieldError {
  constructor(
    message: string,
    /** The reference field's dotted path (`author`, `comments.author`). */
    readonly path: string,
    /** The parts of the key after the reference (`['name', 'startswith']`). */
    readonly rest: readonly string[],
  ) {
    super(message);
  }
}

/**
 * A filter or update value cannot be cast to its field's type (an invalid
 * ObjectId string, a word for a number). Names the field and the value's type.
 *
 * It is also a `mongoose.Error.ValidationError`, with the `errors` map an
 * Express error handler written for Mongoose reads: `errors[path]` is a
 * `mongoose.Error.ValidatorError` (kind `'djongoose'`) holding the message,
 * or, when Mongoose's own validation failed underneath, Mongoose's entries.
 *
 * @example
 * ```ts
 * Entry.objects.filter({ pk: 'not-an-id' }); // ValidationError: Entry._id: cannot cast the string "not-an-id" to ObjectId …
 * // err instanceof mongoose.Error.ValidationError; err.errors._id.message is the same text
 * ```
 */
export class ValidationError extends mongoose.Error.ValidationError {
  static {
    // Its own root of the brand, since it is not a DjongooseError by prototype.
    brand(this, 'ValidationError');
  }

  constructor(
    message: string,
    /** The field, as `Model.path`. */
    readonly field: string,
    options?: { cause?: unknown },
  ) {
    super();
    // Mongoose defines `name` read-only on its prototype: an own property is
    // the only way a subclass (say an IntegrityError) gets its own name.
    Object.defineProperty(this, 'name', { value: new.target.name, configurable: true, writable: true });
    this.message = message;
    if (options && 'cause' in options) {
      Object.defineProperty(this, 'cause', { value: options.cause, configurable: true, writable: true });
    }
    const cause = options?.cause;
    if (cause instanceof mongoose.Error.ValidationError && Object.keys(cause.errors).length > 0) {
      Object.assign(this.errors, cause.errors);
    } else {
      const path = field.slice(field.indexOf('.') + 1) || field;
      const entry = new mongoose.Error.ValidatorError({ type: 'djongoose', path });
      // Set after construction: Mongoose would fill {PATH}-style templates in
      // a message, and ours may quote a request's value.
      entry.message = entry.properties.message = message;
      this.errors[path] = entry;
    }
  }

  /** `ValidationError: <message>`, as any Error, rather than Mongoose's list of paths. */
  override toString(): string {
    return `${this.name}: ${this.message}`;
  }
}

// Extending Mongoose's ValidationError, so that handlers written for Mongoose
// catch ours, takes DjongooseError off its prototype chain: `instanceof
// DjongooseError` names it, around whatever test the class already has.
// Subclasses (FieldError, …) inherit this and keep their own test.
const classHasInstance = DjongooseError[Symbol.hasInstance];
Object.defineProperty(DjongooseError, Symbol.hasInstance, {
  value(this: typeof DjongooseError, value: unknown): boolean {
    return classHasInstance.call(this, value) || (this === DjongooseError && value instanceof ValidationError);
  },
});

/**
 * `get()` found nothing. Also reachable as `Model.DoesNotExist`, Django style.
 *
 * @example
 * ```ts
 * try { await Entry.objects.get({ headline: 'nope' }); } catch (e) { if (e instanceof DoesNotExist) console.log('no such entry'); }
 * ```
 */
export class DoesNotExist extends DjongooseError {}

/**
 * `get()` found more than one document.
 *
 * @example
 * ```ts
 * await Entry.objects.get({ blog__name: 'Beatles Blog' }); // MultipleObjectsReturned: get() returned more than one Entry -- it returned 2!
 * ```
 */
export class MultipleObjectsReturned extends DjongooseError {}

/**
 * A `mongo_*` name that maps to no driver Collection method. The message names
 * the attempted name, the driver method it mapped to and the closest valid
 * names; nothing has been sent to the server.
 *
 * @example
 * ```ts
 * // @ts-expect-error: on a typed model, the compiler refuses it too
 * Entry.objects.mongo_insert_onee({}); // UnknownMongoMethod: Unknown MongoDB passthrough "mongo_insert_onee": … Did you mean "mongo_insert_one"?
 * ```
 */
export class UnknownMongoMethod extends DjongooseError {
  constructor(
    message: string,
    /** The property that was read, e.g. `mongo_frobnicate`. */
    readonly attempted: string,
    /** The camelCase name it maps to, or undefined when it is not snake_case. */
    readonly driverMethod: string | undefined,
    /** The closest valid `mongo_*` names, nearest first; may be empty. */
    readonly suggestions: readonly string[],
  ) {
    super(message);
  }
}

/**
 * The stored data and the model disagree where ENFORCE_SCHEMA is strict: a
 * document lacks a model field or has one the model does not know, or a
 * write targets a collection that `migrate` has not created. Django's
 * migration errors; the message says what to run or change.
 *
 * @example
 * ```ts
 * await Entry.objects.get({ headline: 'Hey Jude' });
 * // MigrationError: Entry 64b…: the document lacks description; unknown fields: rating. ENFORCE_SCHEMA is strict: run `djongoose check`, then migrate, or make the model match.
 * ```
 */
export class MigrationError extends DjongooseError {
  constructor(
    message: string,
    /** The model whose data disagrees. */
    readonly model: string,
    /** What is wrong, by field name; empty when the whole collection is missing. */
    readonly details: {
      readonly id?: unknown;
      readonly missing?: readonly string[];
      readonly unknown?: readonly string[];
    } = {},
  ) {
    super(message);
  }
}

/**
 * An operation the QuerySet cannot do in the state it is in, Django's
 * (PEP 249) NotSupportedError: e.g. `update()` or `delete()` after a slice,
 * which MongoDB's updateMany/deleteMany cannot limit, or `filter()` and
 * `orderBy()` after one (Django's TypeError). Nothing is sent.
 *
 * @example
 * ```ts
 * await Entry.objects.orderBy('headline').slice(0, 1).delete();
 * // NotSupportedError: Cannot use a slice (skip/limit) with delete() …
 * ```
 */
export class NotSupportedError extends DjongooseError {}

/**
 * The server refused a write that breaks a unique index: a duplicate key on
 * create, bulkCreate, or a getOrCreate/updateOrCreate whose new document
 * collides on a field other than its lookup's. Django's name. The message
 * names the model and the index's fields, never the values, which may be
 * secret; the server's error is not kept, since it quotes them.
 *
 * @example
 * ```ts
 * await Entry.objects.create({ headline: 'Hey Jude' }); // again, with a unique index on headline:
 * // IntegrityError: Entry: duplicate key on the unique index of headline; a document with the same value already exists. Give another value, or use getOrCreate to fetch the existing document.
 * ```
 */
export class IntegrityError extends DjongooseError {
  constructor(
    message: string,
    /** The fields of the unique index, when the server names them. */
    readonly fields: readonly string[] = [],
  ) {
    super(message);
  }
}

/**
 * A delete was refused because documents refer to the ones being deleted
 * through a reference declared `onDelete: 'PROTECT'`, Django's
 * ProtectedError. Nothing was deleted or changed. `protectedObjects` lists
 * the protecting documents (per reference path, at most 20 ids each).
 *
 * @example
 * ```ts
 * await Entry.objects.all().delete(); // Comment.entry: { type: ObjectId, ref: 'Entry', onDelete: 'PROTECT' }
 * // ProtectedError: Cannot delete some documents of model 'Entry' because they are referenced through protected references: 'Comment.entry'. Nothing was deleted. …
 * // err.protectedObjects: [{ model: 'Comment', path: 'entry', ids: [ObjectId('…')] }]
 * ```
 */
export class ProtectedError extends DjongooseError {
  constructor(
    message: string,
    /** The protecting documents: their model, the reference path, and their `_id`s (at most 20 per path). */
    readonly protectedObjects: readonly {
      readonly model: string;
      readonly path: string;
      readonly ids: readonly unknown[];
    }[],
  ) {
    super(message);
  }
}

/**
 * Query-string parameters a {@link FilterSet} refused, all of them at once,
 * as django-filter's form errors: `errors` maps each bad parameter to what
 * was wrong and what it accepts. Nothing has been sent to the server.
 *
 * @example
 * ```ts
 * entries.fromQuery({ rating__in: '3,x', headlin: 'Hey' });
 * // FilterError: 2 bad query parameters. rating__in: "x" is not a number; …. headlin: unknown parameter; … Did you mean "headline"?
 * // err.errors: { rating__in: ['…'], headlin: ['…'] }
 * ```
 */
export class FilterError extends DjongooseError {
  constructor(
    message: string,
    /** What is wrong with each bad parameter, by parameter name. */
    readonly errors: Readonly<Record<string, readonly string[]>>,
  ) {
    super(message);
  }
}

/**
 * A page number a paginator cannot serve, Django's `InvalidPage`: the base of
 * {@link PageNotAnInteger} and {@link EmptyPage}.
 *
 * @example
 * ```ts
 * try { await paginate(Entry.objects.all(), '2', 20); } catch (err) { if (err instanceof InvalidPage) console.log(err.message); }
 * ```
 */
export class InvalidPage extends DjongooseError {}

/**
 * The page asked for is not a whole number (`?page=abc`), Django's `PageNotAnInteger`.
 *
 * @example
 * ```ts
 * await paginate(Entry.objects.all(), 'abc', 20); // PageNotAnInteger: Page "abc" is not a whole number; pages are numbered from 1, or "last".
 * ```
 */
export class PageNotAnInteger extends InvalidPage {}

/**
 * The page asked for is below 1 or past the last page, Django's `EmptyPage`.
 * Page 1 of an empty result is not one, unless `allowEmptyFirstPage` is false.
 *
 * @example
 * ```ts
 * await paginate(Entry.objects.all(), 9, 20); // EmptyPage: Page 9 is out of range: there are 2 pages (1 to 2).
 * ```
 */
export class EmptyPage extends InvalidPage {
  constructor(
    message: string,
    /** The page asked for. */
    readonly page: number,
    /** How many pages there are. */
    readonly numPages: number,
  ) {
    super(message);
  }
}

// The storage's errors (djongoose/storage): a file name, content or range
// refused, or a file that is not there.

/**
 * A file name that would leave the storage's `location` or that carries bytes
 * no file name should have: `..`, an absolute path, NUL or control
 * characters, a backslash, a drive letter. Django's name; nothing has been
 * read or written.
 *
 * @example
 * ```ts
 * await storage.save('../etc/passwd', 'x');
 * // SuspiciousFileOperation: Detected path traversal attempt in "../etc/passwd": it has a ".." segment. A file name is …
 * ```
 */
export class SuspiciousFileOperation extends DjongooseError {
  constructor(
    message: string,
    /** The name as it was given. */
    readonly fileName: string,
  ) {
    super(message);
  }
}

/**
 * No stored file has this name. Raised by `open`, `size`, `stat` and the time
 * methods; `serve()` answers 404 instead.
 *
 * @example
 * ```ts
 * try {
 *   await storage.open('avatars/missing.png');
 * } catch (err) {
 *   if (err instanceof FileNotFound) console.log(err.fileName); // avatars/missing.png
 * }
 * // FileNotFound: File "avatars/missing.png" does not exist in the GridFS bucket "media".
 * ```
 */
export class FileNotFound extends DjongooseError {
  constructor(
    /** The name that was asked for, relative to the storage's location. */
    readonly fileName: string,
    /** The GridFS bucket that was searched. */
    readonly bucket: string,
    message = `File ${JSON.stringify(fileName)} does not exist in the GridFS bucket ${JSON.stringify(bucket)}.`,
  ) {
    super(message);
  }
}

/**
 * An upload was refused: the content is not bytes, text or a stream of them,
 * not an image for an ImageField, or its source failed part-way (the partial
 * upload has been removed).
 *
 * @example
 * ```ts
 * await profile.avatar.save('me.png', Buffer.from('not an image'));
 * // InvalidFileContent: avatar: "me.png" is not an image djongoose can read (image-size found no known format); accepted: png, jpeg, gif, webp, …
 * ```
 */
export class InvalidFileContent extends DjongooseError {
  constructor(
    message: string,
    /** The file name the upload was for. */
    readonly fileName: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A content type that HTTP cannot carry (`save(name, data, { contentType })`
 * with a CR/LF, a space inside a token, no `/`, …). Nothing has been written.
 *
 * @example
 * ```ts
 * await storage.save('a.txt', 'x', { contentType: 'text/plain\r\nX: y' });
 * // InvalidContentType: The content type "text/plain\r\nX: y" for "a.txt" is not a media type HTTP can send. …
 * ```
 */
export class InvalidContentType extends DjongooseError {
  constructor(
    message: string,
    /** The file name the content type was for. */
    readonly fileName: string,
  ) {
    super(message);
  }
}

/**
 * The upload went past multer's `limits.fileSize`; the partial file has been
 * removed. multer reports its own `LIMIT_FILE_SIZE` MulterError to the app.
 *
 * @example
 * ```ts
 * // err.code === 'LIMIT_FILE_SIZE' in the Express error handler
 * ```
 */
export class FileTooLarge extends DjongooseError {}

/**
 * The client disconnected before its upload was complete; the partial file
 * has been removed.
 *
 * @example
 * ```ts
 * // err instanceof ClientAborted in the Express error handler, if the socket still exists
 * ```
 */
export class ClientAborted extends DjongooseError {}

/**
 * A byte range that is not within the file: `open(name, { start, end })`
 * needs whole numbers with 0 ≤ start ≤ end ≤ size (end exclusive). `serve()`
 * answers such a Range header with 416 instead.
 *
 * @example
 * ```ts
 * await storage.open('notes.txt', { start: 10, end: 5 });
 * // InvalidRange: open("notes.txt"): the range start 10, end 5 is not within the file's 14 bytes; …
 * ```
 */
export class InvalidRange extends DjongooseError {
  constructor(
    message: string,
    /** The file the range was for. */
    readonly fileName: string,
  ) {
    super(message);
  }
}

/**
 * An update computed in djongoose rather than on the server (a pipeline
 * update on a server without them, setting PIPELINE_UPDATES) kept losing the
 * race for one document: each compare-and-set found it changed by another
 * writer, as many times as it retried. Documents before it keep their change.
 *
 * @example
 * ```ts
 * await Entry.objects.update({ likes: F('views') }); // while another writer keeps changing views:
 * // ConcurrentUpdateError: Entry: the document … changed under the update 10 times (another writer kept changing …); …
 * ```
 */
export class ConcurrentUpdateError extends DjongooseError {
  constructor(
    message: string,
    /** The `_id` of the document whose writes kept conflicting. */
    readonly documentId: unknown,
  ) {
    super(message);
  }
}

/**
 * A migration cannot be reversed: `migrate <target>` back past a RunScript
 * without `down`. Raised before any operation runs. Django's IrreversibleError.
 *
 * @example
 * ```ts
 * await applyMigrations(conn, { migrations: './migrations', target: '0001_initial' });
 * // IrreversibleError: 0003_upper_again: operation 1 (Run script: upper-case names) cannot be reversed: it has no down function. Nothing was run; add down to the RunScript, or migrate to 0003_upper_again or later.
 * ```
 */
export class IrreversibleError extends MigrationError {}

/**
 * AlterField found stored values that have no form in the new type (the
 * string 'n/a' for a Number). Counted, with a sample of `_id`s, before
 * anything is written: fix or remove them, then migrate again.
 *
 * @example
 * ```ts
 * // Blog.rank altered from String to Number, one document holding 'n/a':
 * await applyMigrations(conn, { migrations: './migrations' });
 * // UnconvertibleValuesError: Blog.rank: 1 stored value cannot convert from String to Number (_ids: 2). Nothing was written; fix those documents (or unset the field), then migrate again.
 * ```
 */
export class UnconvertibleValuesError extends MigrationError {
  constructor(
    message: string,
    model: string,
    /** How many values cannot convert. */
    readonly count: number,
    /** Up to five `_id`s of documents holding them. */
    readonly sample: readonly unknown[],
  ) {
    super(message, model);
  }
}

/**
 * Another `migrate` holds the migration lock (a document with an expiry in
 * `djongoose_migrations_lock`) and did not release it within the wait.
 * Nothing was run; the lock expires by itself if its holder died.
 *
 * @example
 * ```ts
 * await applyMigrations(conn, { migrations: './migrations', lockWait: 0 }); // while another migrate runs
 * // MigrationLockedError: Another migrate (pid … on …) holds the migration lock until …; waited 0 ms. Nothing was run; retry when it is done, or raise --lock-wait.
 * ```
 */
export class MigrationLockedError extends MigrationError {}

/**
 * makemigrations or migrate needs an answer it may not ask for: a question
 * (rename? drop? a default?) on a run that is not interactive. Nothing is
 * written; the message names the option that answers it.
 *
 * @example
 * ```ts
 * const Blog = Entry; // a model whose new field rank is required and has no default
 * await makeMigrations({ Blog }, { migrations: './migrations' });
 * // AnswerRequired: Blog.rank is required and has no default, so the stored documents need a value: pass --default rank=<value>, or give the field a default, or make it optional. Nothing was written.
 * ```
 */
export class AnswerRequired extends ImproperlyConfigured {}
