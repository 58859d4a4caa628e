// A filter after parsing: frozen, kind-tagged nodes whose keys are resolved
// against the schema already, as Kysely's operation nodes. The parser
// (parse.ts) makes them when filter(), exclude() or get() is called; the
// compiler (compile.ts) turns them into a MongoDB filter with an exhaustive
// switch over `kind`. A change makes a new node; none is edited in place.
// Nodes never come from user data: a plain object with a `kind` in a filter
// value stays a value, since only the parser puts nodes in the tree.
import type { FConstant, FOperator } from './q.js';
import type { IntegerKind } from './f-types.js';
import type { ResolvedKey } from './resolve.js';
import type { LookupPlan, LookupTarget } from './lookups.js';
import type { RelatedModel } from './relations-model.js';
import type { Join } from './relations-join.js';

/** One keyword and its value, the key resolved: `blog__name__startswith: 'Beat'`. */
export interface ConditionNode {
  readonly kind: 'condition';
  readonly key: ResolvedKey;
  /**
   * What the lookup compiles against. Its path is the key's, under the
   * embedded field's path when the condition is one field of djongo's
   * embedded form (`blog: { name }`). Its `within` is the compiler's to give.
   */
  readonly target: LookupTarget;
  /** The lookup, checked against the field, and the name it is given as `next`. */
  readonly plan: LookupPlan;
  readonly value: unknown;
  /** A `__match` value (Q or an object of the embedded fields), parsed against the embedded schema. */
  readonly inner: GroupNode | undefined;
}

/** A field compared with another field or arithmetic on one: `likes__gt: F('views')`. */
export interface CompareNode {
  readonly kind: 'compare';
  readonly path: string;
  /** `$eq`, `$ne`, `$gt`, `$gte`, `$lt` or `$lte`, or a text lookup's name (`icontains`: compare-expr.ts). */
  readonly operator: string;
  readonly expression: FieldNode;
}

/**
 * One step of a FieldNode: operator, operand, whether the operand goes first
 * (f.ts's FStep), and when both operands are integers the integer kind of the
 * result (f-types.ts), for which `dividedBy` divides as integers.
 */
export type FieldStep = readonly [
  operator: FOperator,
  operand: FConstant | FieldNode,
  constantFirst?: boolean,
  integer?: IntegerKind,
];

/** A field of the same document, then arithmetic: F('views').plus(1), resolved. */
export interface FieldNode {
  readonly kind: 'field';
  readonly path: string;
  readonly ops: readonly FieldStep[];
}

/** A Boolean F as a whole condition, Django's `filter(~F('active'))`: `{ $expr: … }`. */
export interface ExpressionNode {
  readonly kind: 'expression';
  readonly expression: FieldNode;
}

/** A raw MongoDB filter, made in code with Raw(...), sent as it is. */
export interface RawNode {
  readonly kind: 'raw';
  readonly filter: Readonly<Record<string, unknown>>;
}

/**
 * A filter across a reference, `author__name__startswith: 'Be'`: the
 * reference's path, and the rest of the key parsed against the referenced
 * model. Sent as `{ author: { $in: ids } }`; the ids are read when the
 * QuerySet runs (relations-prefetch.ts), which makes a new node holding them.
 */
export interface RelationNode {
  readonly kind: 'relation';
  /** The reference field's dotted path (`author`, `comments.author`). */
  readonly path: string;
  readonly related: RelatedModel;
  /** The condition on the referenced documents. */
  readonly inner: GroupNode;
  /** The ids of the referenced documents that match `inner`, once read. */
  readonly ids: readonly unknown[] | undefined;
  /** The field of the referenced documents the reference stores: `_id`, or its `toField`. */
  readonly key: string;
  /**
   * For a condition with an F() across a reference (relations-filter-join.ts):
   * the joins `inner` reads through, run on the model's own collection, whose
   * matching `_id`s are the ids. Undefined for a filter on the referenced documents.
   */
  readonly joins?: readonly Join[] | undefined;
}

/** Conditions joined by AND or OR, maybe negated: a parsed Q. */
export interface GroupNode {
  readonly kind: 'group';
  readonly connector: 'AND' | 'OR';
  readonly negated: boolean;
  readonly children: readonly FilterNode[];
}

/** Any node of a parsed filter. */
export type FilterNode = ConditionNode | CompareNode | ExpressionNode | RawNode | RelationNode | GroupNode;

/** Makes and tells condition nodes. */
export const ConditionNode = Object.freeze({
  is: (node: FilterNode): node is ConditionNode => node.kind === 'condition',
  create(key: ResolvedKey, target: LookupTarget, plan: LookupPlan, value: unknown, inner?: GroupNode): ConditionNode {
    return Object.freeze({ kind: 'condition', key, target, plan, value, inner });
  },
});

/** Makes and tells field comparisons. */
export const CompareNode = Object.freeze({
  is: (node: FilterNode): node is CompareNode => node.kind === 'compare',
  create(path: string, operator: string, expression: FieldNode): CompareNode {
    return Object.freeze({ kind: 'compare', path, operator, expression });
  },
});

/** Makes F references; a FieldNode is an operand, or the expression of a compare or expression node. */
export const FieldNode = Object.freeze({
  is: (operand: FConstant | FieldNode): operand is FieldNode =>
    typeof operand === 'object' && operand !== null && !(operand instanceof Date),
  create(path: string, ops: readonly FieldStep[]): FieldNode {
    return Object.freeze({ kind: 'field', path, ops: Object.freeze(ops.map((op) => Object.freeze(op))) });
  },
});

/** Makes and tells Boolean F conditions. */
export const ExpressionNode = Object.freeze({
  is: (node: FilterNode): node is ExpressionNode => node.kind === 'expression',
  create(expression: FieldNode): ExpressionNode {
    return Object.freeze({ kind: 'expression', expression });
  },
});

/** Makes and tells raw filters. */
export const RawNode = Object.freeze({
  is: (node: FilterNode): node is RawNode => node.kind === 'raw',
  create(filter: Readonly<Record<string, unknown>>): RawNode {
    return Object.freeze({ kind: 'raw', filter });
  },
});

/** Makes and tells filters across a reference. */
export const RelationNode = Object.freeze({
  is: (node: FilterNode): node is RelationNode => node.kind === 'relation',
  create(
    path: string,
    related: RelatedModel,
    inner: GroupNode,
    ids?: readonly unknown[],
    key = '_id',
    joins?: readonly Join[],
  ): RelationNode {
    return Object.freeze({ kind: 'relation', path, related, inner, ids: ids && Object.freeze([...ids]), key, joins });
  },
});

/** The group that matches everything: no conditions. */
const EVERYTHING: GroupNode = Object.freeze({
  kind: 'group',
  connector: 'AND',
  negated: false,
  children: Object.freeze([]),
});

function isEmpty(node: GroupNode): boolean {
  return node.children.length === 0 && !node.negated;
}

function flat(node: GroupNode): readonly FilterNode[] {
  return node.connector === 'AND' && !node.negated ? node.children : [node];
}

/** Makes, tells and combines groups. */
export const GroupNode = Object.freeze({
  is: (node: FilterNode): node is GroupNode => node.kind === 'group',
  create(connector: 'AND' | 'OR', negated: boolean, children: readonly FilterNode[]): GroupNode {
    return Object.freeze({ kind: 'group', connector, negated, children: Object.freeze([...children]) });
  },
  /** No conditions: matches every document. */
  everything: EVERYTHING,
  /**
   * Both must hold. Same-connector nesting is flattened, as Q does, so the
   * filter sent for `filter(a).filter(b)` is the one for `filter(a, b)`.
   */
  and(left: GroupNode, right: GroupNode): GroupNode {
    if (isEmpty(left)) return right;
    // A group with no children adds nothing, negated or not, as in Q.
    const children = left.children.length === 0 ? [] : [...flat(left)];
    if (!isEmpty(right)) children.push(...flat(right));
    return GroupNode.create('AND', false, children);
  },
  /** The negation. */
  not(node: GroupNode): GroupNode {
    return GroupNode.create(node.connector, !node.negated, node.children);
  },
});
