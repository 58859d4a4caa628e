import { brand } from './brand.js';

/**
 * Every error djongoose throws on purpose is one of these classes, so callers
 * can tell a bad setting from a failed connection with `instanceof`.
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
 * await connect({ ENGINE: 'djongo' }); // ImproperlyConfigured: settings NAME is required …
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
 * Entry.objects.filter({ headlin: 'x' }); // FieldError: Cannot resolve keyword 'headlin' into field of Entry. Choices are: … Did you mean "headline"?
 * ```
 */
export class FieldError extends DjongooseError {}

/**
 * A filter or update value cannot be cast to its field's type (an invalid
 * ObjectId string, a word for a number). Names the field and the value's type.
 *
 * @example
 * ```ts
 * Entry.objects.filter({ pk: 'not-an-id' }); // ValidationError: Entry._id: cannot cast the string "not-an-id" to ObjectId
 * ```
 */
export class ValidationError extends DjongooseError {
  constructor(
    message: string,
    /** The field, as `Model.path`. */
    readonly field: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * `get()` found nothing. Also reachable as `Model.DoesNotExist`, Django style.
 *
 * @example
 * ```ts
 * try { await Entry.objects.get({ headline: 'nope' }); } catch (e) { if (e instanceof DoesNotExist) … }
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
 * // MigrationError: Entry 64b…: the document lacks description; unknown fields: rating. Run `djongoose check`, then migrate.
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
 * which MongoDB's updateMany/deleteMany cannot limit. Nothing is sent.
 *
 * @example
 * ```ts
 * await Entry.objects.orderBy('headline').slice(0, 1).delete();
 * // NotSupportedError: Cannot use a slice (skip/limit) with delete() …
 * ```
 */
export class NotSupportedError extends DjongooseError {}

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
 * try { await paginate(qs, req.query.page, 20); } catch (err) { if (err instanceof InvalidPage) … }
 * ```
 */
export class InvalidPage extends DjongooseError {}

/**
 * The page asked for is not a whole number (`?page=abc`), Django's `PageNotAnInteger`.
 *
 * @example
 * ```ts
 * await paginate(qs, 'abc', 20); // PageNotAnInteger: Page "abc" is not a whole number; pages are numbered from 1, or "last".
 * ```
 */
export class PageNotAnInteger extends InvalidPage {}

/**
 * The page asked for is below 1 or past the last page, Django's `EmptyPage`.
 * Page 1 of an empty result is not one, unless `allowEmptyFirstPage` is false.
 *
 * @example
 * ```ts
 * await paginate(qs, 9, 20); // EmptyPage: Page 9 is out of range: there are 2 pages (1 to 2).
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
