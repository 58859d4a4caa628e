// Generators of hostile filter input, shared by the unit and e2e tests.
import fc from 'fast-check';
import express from 'express';

export const KEYS = [
  'headline',
  'headline__startswith',
  'headline__iexact',
  'headline__in',
  'headline__regex',
  'rating',
  'rating__gt',
  'rating__range',
  'rating__mod',
  'tags',
  'tags__contains',
  'tags__overlap',
  'tags__len__gt',
  'comments__match',
  'comments__author',
  'blog',
  'blog__startswith',
  'blog__name',
  'data',
  'data__label',
  'pk',
  'pk__in',
  'pub_date__year',
  'pub_date__month',
  'pub_date__time',
  'pub_date__date',
  'pub_date',
];

const operatorKey = fc.constantFrom(
  '$ne',
  '$gt',
  '$gte',
  '$where',
  '$regex',
  '$in',
  '$exists',
  '$expr',
  '$or',
  '$elemMatch',
  '$not',
  '$type',
);
const leaf = fc.oneof(
  fc.constant(null),
  fc.string(),
  fc.integer(),
  fc.boolean(),
  fc.constant(''),
  fc.constant('this.a > 0'),
);
/** Values that would be operators if pasted into a filter. */
export const hostile = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, tie('object'), fc.array(tie('value'), { maxLength: 3 })),
  object: fc.dictionary(fc.oneof(operatorKey, fc.constantFrom('name', 'author', 'label')), tie('value'), {
    minKeys: 1,
    maxKeys: 3,
  }),
})).object;

const app = express();
app.set('query parser', 'extended');
const extendedParser = app.get('query parser fn') as (query: string) => Record<string, unknown>;

/** `req.query` as Express's extended query parser (qs, with allowPrototypes) gives it. */
export function parseExtendedQuery(query: string): Record<string, unknown> {
  return extendedParser(query);
}
