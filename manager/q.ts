// Q: the user's filter tree (F, field references, is f.ts). A frozen value;
// combining makes new ones. Q flattens same-connector nesting, as
// Django's does, so Q(a).or(b).or(c) is one OR of three. Raw(...) is the one
// way to put a MongoDB filter in the tree: a class instance, which no JSON or
// query-string value can be.
import { brand } from '../core/brand.js';
import { FieldError } from '../core/errors.js';
import { describe, isPlainObject } from '../core/values.js';
import { FExpression } from './f.js';

/** Keyword filters: `{ blog__name__startswith: 'Beatles', rating__gte: 4 }`. */
export type FilterInput = Readonly<Record<string, unknown>>;

/** A leaf of the tree: one keyword and its value. */
export type Condition = readonly [key: string, value: unknown];

/**
 * What filter(), exclude() and get() take: keyword filters, a Q, or a
 * Boolean F, Django's conditional expression (`filter(F('active').not())`).
 */
export type FilterArgument = QNode | FilterInput | FExpression;

/**
 * A raw MongoDB filter, a leaf of a Q tree. Made only by {@link Raw}: a
 * frozen class instance, which JSON.parse, qs and URLSearchParams cannot
 * produce, so request data never reaches the server as a raw filter.
 *
 * @example
 * ```ts
 * const [leaf] = Raw({ views: { $gt: 100 } }).children;
 * leaf instanceof RawFilter; // true, and leaf.filter is { views: { $gt: 100 } }
 * ```
 */
export class RawFilter {
  static {
    brand(this, 'RawFilter');
  }

  readonly kind = 'raw' as const;

  constructor(readonly filter: Readonly<Record<string, unknown>>) {
    Object.freeze(this);
  }
}

/**
 * A Q node: connector, negation and children (conditions or nodes). Made by
 * {@link Q} and combined with and/or/not, never changed.
 *
 * @example
 * ```ts
 * const q: QNode = Q({ rating__gte: 4 }).or({ headline__icontains: 'jude' }).not();
 * q.connector; // 'OR', and q.negated is true
 * ```
 */
export class QNode {
  static {
    brand(this, 'QNode');
  }

  readonly kind = 'q' as const;

  constructor(
    readonly connector: 'AND' | 'OR',
    readonly negated: boolean,
    readonly children: readonly (QNode | RawFilter | Condition | FExpression)[],
  ) {
    Object.freeze(children);
    Object.freeze(this);
  }

  private combine(connector: 'AND' | 'OR', others: readonly FilterArgument[]): QNode {
    // filter({...}) on a fresh QuerySet: the one argument is the whole tree.
    const [first] = others;
    if (first !== undefined && others.length === 1 && this.children.length === 0 && !this.negated) {
      const only = toQ(first);
      if (only.children.length > 0 || only.negated) return only;
    }
    const nodes = others.map(toQ).filter((q) => q.children.length > 0 || q.negated);
    const [single] = nodes;
    if (this.children.length === 0 && !this.negated && single && nodes.length === 1) return single;
    const children: (QNode | RawFilter | Condition | FExpression)[] =
      this.connector === connector && !this.negated ? [...this.children] : this.children.length > 0 ? [this] : [];
    for (const node of nodes) {
      if (node.connector === connector && !node.negated) children.push(...node.children);
      else children.push(node);
    }
    return new QNode(connector, false, children);
  }

  /**
   * Both this and the others must hold: Django's `Q(a) & Q(b)`.
   *
   * @example
   * ```ts
   * Q({ rating__gte: 4 }).and({ headline__icontains: 'jude' })
   * ```
   */
  and(...others: readonly FilterArgument[]): QNode {
    return this.combine('AND', others);
  }

  /**
   * This or any of the others: Django's `Q(a) | Q(b)`.
   *
   * @example
   * ```ts
   * Entry.objects.filter(Q({ headline__startswith: 'Hey' }).or({ rating__gte: 5 }))
   * ```
   */
  or(...others: readonly FilterArgument[]): QNode {
    return this.combine('OR', others);
  }

  /**
   * The negation: Django's `~Q(a)`.
   *
   * @example
   * ```ts
   * Entry.objects.filter(Q({ blog__name: 'Beatles Blog' }).not())
   * ```
   */
  not(): QNode {
    return new QNode(this.connector, !this.negated, this.children);
  }
}

/**
 * Turns keyword filters into an AND node, and a Boolean F into a node of
 * that one condition; a QNode passes through. Anything else (null, an array,
 * a string, a class instance) is a {@link FieldError}: a request body may be
 * any JSON value.
 */
export function toQ(input: FilterArgument): QNode {
  if (input instanceof QNode) return input;
  if (input instanceof FExpression) return new QNode('AND', false, [input]);
  if (!isPlainObject(input)) {
    throw new FieldError(
      `Filters are objects of keyword conditions ({ headline__startswith: 'Hey' }), a Boolean F(...), Q(...) or Raw(...); ` +
        `got ${describe(input)}.`,
    );
  }
  return new QNode('AND', false, Object.entries(input));
}

/**
 * Builds a Q object from keyword filters, for OR, AND and NOT trees.
 *
 * @example
 * ```ts
 * import { Q } from 'djongoose';
 * Entry.objects.filter(Q({ headline__startswith: 'Hey' }).or({ headline__startswith: 'Help' }), { rating__gte: 4 });
 * Entry.objects.filter(Q.not({ blog__name: 'Stones Weekly' }));
 * ```
 */
export function Q(filters: FilterInput = {}): QNode {
  return toQ(filters);
}

/**
 * Q.not(x) is Q(x).not(): Django's `~Q(...)`.
 *
 * @example
 * ```ts
 * Entry.objects.filter(Q.not({ rating__lt: 3 }));
 * ```
 */
Q.not = function not(filters: FilterArgument): QNode {
  return toQ(filters).not();
};

/**
 * A raw MongoDB filter, sent as it is: the explicit door for what lookups do
 * not express. It is a Q node, so it combines with Q and goes wherever Q goes
 * (filter, exclude, get, the value of `match`). Only code can make one; a
 * `__raw__` key in a filter object is refused with {@link FieldError}, since
 * filter objects may come from a request.
 *
 * @example
 * ```ts
 * import { Q, Raw } from 'djongoose';
 * Entry.objects.filter(Raw({ views: { $gt: 200 } }));
 * Entry.objects.filter(Q({ rating__gte: 4 }).and(Raw({ 'comments.0': { $exists: true } })));
 * Entry.objects.exclude(Raw({ tags: { $size: 0 } }));
 * ```
 */
export function Raw(filter: Readonly<Record<string, unknown>>): QNode {
  if (!isPlainObject(filter)) {
    throw new FieldError(
      `Raw(...) takes a MongoDB filter object, e.g. Raw({ views: { $gt: 1 } }); got ${describe(filter)}.`,
    );
  }
  return new QNode('AND', false, [new RawFilter({ ...filter })]);
}

export { F, FExpression, F_OPERATORS, Value, ValueExpression } from './f.js';
export type { FConstant, FOperand, FOperator, FStep } from './f.js';
