// A field compared with an F, as the `$expr` condition it compiles to. The
// comparisons ($eq … $lte) are MongoDB's own; the text lookups are built from
// string operators every server with `$expr` has ($indexOfCP, $substrCP,
// $strLenCP, $toLower), since mongo-java-server has no $regexMatch and an F's
// text cannot be escaped into a pattern. A missing or null side never matches,
// as SQL's NULL never LIKEs.
import type { CompareNode } from './nodes.js';

/** The text lookups F may stand on the right of. */
export const TEXT_OPERATORS = [
  'iexact',
  'contains',
  'icontains',
  'startswith',
  'istartswith',
  'endswith',
  'iendswith',
] as const;
export type TextOperator = (typeof TEXT_OPERATORS)[number];

// `$gte: [x, '']` holds for strings (and what sorts after them), never for
// null or a missing field. Servers may evaluate every argument of `$and`
// (mongo-java-server does), so the text operators also get '' for null:
// $indexOfCP and $strLenCP fail on null.
const isText = (x: unknown) => ({ $gte: [x, ''] });
const text = (x: unknown) => ({ $ifNull: [x, ''] });

function textMatch(operator: TextOperator, field: unknown, other: unknown): unknown {
  const insensitive = operator.startsWith('i');
  // mongo-java-server's $toLower keeps null (MongoDB's gives ''), so '' first.
  const a = insensitive ? { $toLower: text(field) } : text(field);
  const b = insensitive ? { $toLower: text(other) } : text(other);
  const name = insensitive && operator !== 'iexact' ? operator.slice(1) : operator;
  let match: unknown;
  if (name === 'iexact') match = { $eq: [a, b] };
  else if (name === 'contains') match = { $gte: [{ $indexOfCP: [a, b] }, 0] };
  else if (name === 'startswith') match = { $eq: [{ $indexOfCP: [a, b] }, 0] };
  else {
    // The last len(b) characters of a; from 0 when a is the shorter, then never b.
    const start = { $max: [0, { $subtract: [{ $strLenCP: a }, { $strLenCP: b }] }] };
    match = { $eq: [{ $substrCP: [a, start, { $strLenCP: b }] }, b] };
  }
  return { $and: [isText(field), isText(other), match] };
}

/**
 * The `$expr` of a comparison with F: `{ $gt: ['$likes', '$views'] }`, or a
 * text lookup's string arithmetic.
 *
 * @example
 * ```ts
 * compareExpression(node, '$blog.name'); // for headline__startswith: F('blog__name')
 * // { $and: [{ $gte: ['$headline', ''] }, { $gte: ['$blog.name', ''] }, { $eq: [{ $indexOfCP: [...] }, 0] }] }
 * ```
 */
export function compareExpression(node: CompareNode, other: unknown): unknown {
  const field = `$${node.path}`;
  if ((TEXT_OPERATORS as readonly string[]).includes(node.operator)) {
    return textMatch(node.operator as TextOperator, field, other);
  }
  return { [node.operator]: [field, other] };
}
