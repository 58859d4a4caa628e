// Text lookups on numbers, as Django runs them: `regex`, `contains`,
// `startswith`, … on an IntegerField match the number's text form (SQL's
// CAST(field AS text)). A `$regex` query operator only looks at strings, and
// Mongoose refuses it on a Number path, so these compare the number's
// `$toString` with `$regexMatch` inside `$expr` (MongoDB 4.2+; no index).
import { escapeRegex, registerLookup, type Lookup, type LookupTarget, type MongoFilter } from './lookups.js';
import { TEXT_PATTERNS, checkedRegex, patternText } from './builtin-lookups.js';

/** How a field's value becomes text on the server: `$toString` of it, `$dateToString`, … */
export type TextForm = (path: string) => unknown;

const numberText: TextForm = (path) => ({ $toString: path });

/**
 * `{ $expr: { $regexMatch: … } }` over the field's text. The pattern goes in
 * as `$literal`: a bare string there is an expression, and one starting with
 * `$` would read another field instead of being matched as text.
 */
function textMatches(target: LookupTarget, source: string, insensitive: boolean, form: TextForm): MongoFilter {
  return {
    $expr: {
      $regexMatch: {
        input: form(`$${target.path}`),
        regex: { $literal: source },
        options: insensitive ? 'i' : '',
      },
    },
  };
}

/**
 * Django's text lookups (and regex, iregex) over the text `form` of a
 * field that is not a String, as SQL's CAST(field AS text).
 *
 * @example
 * ```ts
 * textFormLookups((path) => ({ $toString: path })); // regex, iregex, iexact, contains, … over the text
 * ```
 */
export function textFormLookups(form: TextForm): Lookup[] {
  return [
    { name: 'regex', compile: (t, v) => textMatches(t, checkedRegex(t, 'regex', v), false, form) },
    { name: 'iregex', compile: (t, v) => textMatches(t, checkedRegex(t, 'iregex', v), true, form) },
    ...TEXT_PATTERNS.map(([name, build, insensitive]): Lookup => ({
      name,
      compile: (t, v) => textMatches(t, build(escapeRegex(patternText(t, name, v))), insensitive, form),
    })),
  ];
}

const numericTextLookups = textFormLookups(numberText);

// On the whole numeric family, ahead of the `*` regex lookups.
for (const lookup of numericTextLookups) registerLookup('Numeric', lookup);
