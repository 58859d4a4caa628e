// Q and F: the user's filter tree and field references. Both are frozen
// values; combining makes new ones. Q flattens same-connector nesting, as
// Django's does, so Q(a).or(b).or(c) is one OR of three.

/** Keyword filters: `{ blog__name__startswith: 'Beatles', rating__gte: 4 }`. */
export type FilterInput = Readonly<Record<string, unknown>>;

/** A leaf of the tree: one keyword and its value. */
export type Condition = readonly [key: string, value: unknown];

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
  readonly kind = 'q' as const;

  constructor(
    readonly connector: 'AND' | 'OR',
    readonly negated: boolean,
    readonly children: readonly (QNode | Condition)[],
  ) {
    Object.freeze(children);
    Object.freeze(this);
  }

  private combine(connector: 'AND' | 'OR', others: readonly (QNode | FilterInput)[]): QNode {
    // filter({...}) on a fresh QuerySet: the one argument is the whole tree.
    const [first] = others;
    if (first !== undefined && others.length === 1 && this.children.length === 0 && !this.negated) {
      const only = toQ(first);
      if (only.children.length > 0 || only.negated) return only;
    }
    const nodes = others.map(toQ).filter((q) => q.children.length > 0 || q.negated);
    const [single] = nodes;
    if (this.children.length === 0 && !this.negated && single && nodes.length === 1) return single;
    const children: (QNode | Condition)[] =
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
  and(...others: readonly (QNode | FilterInput)[]): QNode {
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
  or(...others: readonly (QNode | FilterInput)[]): QNode {
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

/** Turns keyword filters into an AND node; a QNode passes through. */
export function toQ(input: QNode | FilterInput): QNode {
  if (input instanceof QNode) return input;
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
Q.not = function not(filters: QNode | FilterInput): QNode {
  return toQ(filters).not();
};

/** Arithmetic that F supports, with MongoDB's operator for each. */
export const F_OPERATORS = { plus: '$add', minus: '$subtract', times: '$multiply', dividedBy: '$divide' } as const;
export type FOperator = keyof typeof F_OPERATORS;

/**
 * A reference to a field of the same document, or arithmetic on one. Made by {@link F}.
 *
 * @example
 * ```ts
 * const views: FExpression = F('views').plus(1);
 * await Entry.objects.filter({ likes__gt: F('views') }).update({ views });
 * ```
 */
export class FExpression {
  readonly kind = 'f' as const;

  constructor(
    /** The field, in filter-key form (`blog__name`). */
    readonly field: string,
    /** Operations applied in order, each with a number or another F. */
    readonly ops: readonly (readonly [FOperator, number | FExpression])[] = [],
  ) {
    Object.freeze(ops);
    Object.freeze(this);
  }

  private op(operator: FOperator, operand: number | FExpression): FExpression {
    return new FExpression(this.field, [...this.ops, [operator, operand]]);
  }

  /** `F('views').plus(1)` */
  plus(operand: number | FExpression): FExpression {
    return this.op('plus', operand);
  }
  /** `F('views').minus(1)` */
  minus(operand: number | FExpression): FExpression {
    return this.op('minus', operand);
  }
  /** `F('price').times(2)` */
  times(operand: number | FExpression): FExpression {
    return this.op('times', operand);
  }
  /** `F('price').dividedBy(2)` */
  dividedBy(operand: number | FExpression): FExpression {
    return this.op('dividedBy', operand);
  }
}

/**
 * Refers to another field of the same document: compare fields in filters,
 * or compute updates from the stored value.
 *
 * @example
 * ```ts
 * Entry.objects.filter({ likes__gt: F('views') });
 * Entry.objects.filter({ headline: 'Hey Jude' }).update({ views: F('views').plus(1) });
 * ```
 */
export function F(field: string): FExpression {
  return new FExpression(field);
}
