// Known failures are ported in the form Django's API takes (`aggregate(Avg('age'))`,
// `distinct()`, `Count('age', { default: 0 })`), which djongoose's types refuse
// today. `loose(qs)` lets such a case compile, with its arguments unchecked,
// so that it runs and fails on what djongoose does, not on the compiler.
// Only cases marked knownFailure use it.

type Method = (...args: unknown[]) => Loose;

/** A QuerySet's (or manager's) methods, any arguments, chainable; awaiting one gives `unknown`. */
export interface Loose extends PromiseLike<unknown> {
  readonly aggregate: Method;
  readonly annotate: Method;
  readonly count: Method;
  readonly dates: Method;
  readonly datetimes: Method;
  readonly defer: Method;
  readonly distinct: Method;
  readonly exclude: Method;
  readonly filter: Method;
  readonly first: Method;
  readonly get: Method;
  readonly only: Method;
  readonly orderBy: Method;
  readonly reverse: Method;
  readonly selectRelated: Method;
  readonly values: Method;
  readonly valuesList: Method;
}

/**
 * The same object, its methods' arguments unchecked.
 *
 * @example
 * ```ts
 * await loose(Author.objects).aggregate(Avg('age')); // Django's default alias, age__avg
 * ```
 */
export function loose(value: unknown): Loose {
  return value as Loose;
}
