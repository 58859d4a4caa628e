// A node:test reporter that writes one JSON line of totals, taken from the
// runner's own closing diagnostics ("pass 12", "fail 0", …), so the harness
// reports exactly what node:test counted.
export default async function* summaryReporter(source) {
  const totals = {};
  for await (const event of source) {
    if (event.type === 'test:diagnostic' && event.data.nesting === 0) {
      const match = /^(tests|suites|pass|fail|cancelled|skipped|todo) (\d+)$/.exec(event.data.message);
      if (match) totals[match[1]] = Number(match[2]);
    }
  }
  yield `${JSON.stringify(totals)}\n`;
}
