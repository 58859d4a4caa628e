// Aggregation rows a read plugin has already judged, shared with the code
// that turns rows into results. An aggregation cursor's transform has no
// error channel: the enforceSchema plugin records its MigrationError against
// the row, and whoever hands the row to the user (Model.hydrate, or a
// QuerySet's lean annotate() iterator) raises it. null records a row judged
// and found good, so that it is not judged again.
const verdicts = new WeakMap<object, Error | null>();

/**
 * Records what a plugin found about an aggregation row.
 *
 * @example
 * ```ts
 * judgeRow(row, new MigrationError('Entry: missing rating', details)); // or null when it passed
 * ```
 */
export function judgeRow(row: object, verdict: Error | null): void {
  verdicts.set(row, verdict);
}

/**
 * The error recorded against a row, null when it was judged good, undefined when never judged.
 *
 * @example
 * ```ts
 * const verdict = rowVerdict(row);
 * if (verdict) throw verdict;
 * ```
 */
export function rowVerdict(row: object): Error | null | undefined {
  return verdicts.get(row);
}
