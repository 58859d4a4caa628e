// A node:test reporter that writes one JSON line: the totals, taken from the
// runner's own closing diagnostics ("pass 12", "fail 0", …), so the harness
// reports exactly what node:test counted, and each failed test (file, name,
// the first line of its error), so the closing summary names them.
export default async function* summaryReporter(source) {
  const totals = {};
  const failures = [];
  for await (const event of source) {
    if (event.type === 'test:diagnostic' && event.data.nesting === 0) {
      const match = /^(tests|suites|pass|fail|cancelled|skipped|todo) (\d+)$/.exec(event.data.message);
      if (match) totals[match[1]] = Number(match[2]);
    }
    if (event.type === 'test:fail' && event.data.details?.type !== 'suite') {
      const error = event.data.details?.error;
      const cause = error?.cause ?? error;
      const message = String(cause?.message ?? cause ?? 'failed')
        .split('\n')[0]
        .slice(0, 300);
      failures.push({ file: event.data.file ?? '', name: event.data.name, message });
    }
  }
  yield `${JSON.stringify({ ...totals, failures })}\n`;
}
