// Django's reverse(): it flips the QuerySet's direction, not just the terms
// it has. An ordering given later is flipped too, and an unordered QuerySet
// stays unordered until it is given one (first() then reads the largest pk).
import type { OrderTerm, Props } from './queryset-props.js';
import { reverseOrder } from './parse-names.js';

/**
 * The props with their ordering flipped, now and for any ordering given later.
 *
 * @example
 * ```ts
 * reversedProps(props).order; // [{ key: '-name', path: 'name', direction: -1 }] for orderBy('name')
 * ```
 */
export function reversedProps(props: Props): Pick<Props, 'order' | 'reversed'> {
  return { order: reverseOrder(props.order), reversed: !props.reversed };
}

/**
 * The terms orderBy() keeps: as given, or flipped after an odd number of reverse().
 *
 * @example
 * ```ts
 * orderFor({ ...props, reversed: true }, parseOrder(scope, {}, ['name'])); // name descending
 * ```
 */
export function orderFor(props: Props, terms: readonly OrderTerm[]): readonly OrderTerm[] {
  return props.reversed ? reverseOrder(terms) : terms;
}
