// Our errors as HTTP answers: a client's bad filter, value or page is a 400,
// a missing object a 404, a conflict a 409. Anything else is the app's
// business (or a bug), so it is passed on untouched. Express is not needed at
// run time: the middleware is typed by the few members it uses.
import { DjongooseError, DoesNotExist, FieldError, FilterError, InvalidPage, ValidationError } from '../core/errors.js';

/** The JSON body {@link djongooseErrorHandler} sends. */
export interface ErrorBody {
  /** The error's class name: `FilterError`, `DoesNotExist`, … */
  readonly error: string;
  readonly message: string;
  /** For a FilterError: what is wrong with each parameter. */
  readonly errors?: Readonly<Record<string, readonly string[]>>;
}

// IntegrityError is matched by name: it is the error class a unique-key
// conflict raises where djongoose has one, and the mapping should not depend
// on which version of the class the app was built against.
function isNamed(err: object, name: string): boolean {
  for (let proto: object | null = err; proto !== null; proto = Object.getPrototypeOf(proto) as object | null) {
    if ((proto.constructor as { name?: unknown } | undefined)?.name === name) return true;
  }
  return false;
}

/**
 * The HTTP status for one of our errors: 400 for a bad filter, lookup, value
 * or page, 404 for `DoesNotExist`, 409 for an `IntegrityError`; undefined for
 * anything else, which is not the client's fault as far as we know.
 *
 * @example
 * ```ts
 * httpStatusOf(new DoesNotExist('Entry matching query does not exist.')); // 404
 * httpStatusOf(new Error('boom')); // undefined
 * ```
 */
export function httpStatusOf(err: unknown): 400 | 404 | 409 | undefined {
  if (!(err instanceof DjongooseError)) return undefined;
  if (err instanceof DoesNotExist) return 404;
  if (isNamed(err, 'IntegrityError')) return 409;
  if (
    err instanceof FilterError ||
    err instanceof FieldError ||
    err instanceof ValidationError ||
    err instanceof InvalidPage
  ) {
    return 400;
  }
  return undefined;
}

/**
 * The JSON body for one of our errors: its class name, message and, for a
 * FilterError, the problems by parameter.
 *
 * @example
 * ```ts
 * errorBody(err); // { error: 'FilterError', message: '1 bad query parameter. …', errors: { rating__in: ['…'] } }
 * ```
 */
export function errorBody(err: DjongooseError): ErrorBody {
  return err instanceof FilterError
    ? { error: err.name, message: err.message, errors: err.errors }
    : { error: err.name, message: err.message };
}

/** The members of an Express (or compatible) response the handler uses. */
export interface ErrorResponse {
  readonly headersSent: boolean;
  status(code: number): { json(body: ErrorBody): unknown };
}

/** An Express error-handling middleware: four parameters, as Express tells them apart. */
export type DjongooseErrorHandler = (
  err: unknown,
  req: unknown,
  res: ErrorResponse,
  next: (err?: unknown) => void,
) => void;

/**
 * Express error middleware that answers our errors with their
 * {@link httpStatusOf} status and an {@link ErrorBody}, and passes every other
 * error (and any error after the response has started) to the next handler.
 *
 * @example
 * ```ts
 * app.get('/entries', async (req, res) => { res.json(await entries.page(req.query)); });
 * app.use(djongooseErrorHandler());
 * ```
 */
export function djongooseErrorHandler(): DjongooseErrorHandler {
  return function djongooseErrors(err, _req, res, next) {
    const status = httpStatusOf(err);
    if (status === undefined || res.headersSent) {
      next(err);
      return;
    }
    res.status(status).json(errorBody(err as DjongooseError));
  };
}
