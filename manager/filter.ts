// Filters and F expressions from raw input, for callers that hold no parsed
// nodes (update(), annotations and aggregates, tests, the benchmarks): parse,
// then compile, in one call.
import { compileExpression, compileWhere } from './compile.js';
import { parseExpression, parseFilter, type CompileScope } from './parse.js';
import type { FExpression, FilterArgument } from './q.js';
import type { MongoFilter } from './lookups.js';

export type { CompileScope };

/**
 * Compiles keyword filters or a Q tree into a MongoDB filter for a schema.
 * Throws {@link FieldError} for unknown fields or lookups and
 * {@link ValidationError} for values that do not cast.
 *
 * @example
 * ```ts
 * compileFilter({ schema: entrySchema, modelName: 'Entry' }, { blog__name__startswith: 'Beatles' });
 * // { 'blog.name': /^Beatles/ }
 * ```
 */
export function compileFilter(scope: CompileScope, filters: FilterArgument): MongoFilter {
  return compileWhere(parseFilter(scope, [filters]), scope.modelName);
}

/**
 * `$path` or an arithmetic expression on fields, for $expr and pipeline updates.
 *
 * @example
 * ```ts
 * fieldExpression({ schema: entrySchema, modelName: 'Entry' }, F('views').plus(1)); // { $add: ['$views', 1] }
 * ```
 */
export function fieldExpression(scope: CompileScope, f: FExpression): unknown {
  return compileExpression(parseExpression(scope, f));
}
