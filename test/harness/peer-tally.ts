// `passed / applicable` per peer source, from the lines test/peer/case.ts
// appends to the tally file during one server's run.
import { existsSync, readFileSync } from 'node:fs';
import type { PeerOutcome, PeerRecord } from '../peer/case.js';

export interface SourceTally {
  source: string;
  applicable: number;
  counts: Record<PeerOutcome, number>;
}

/** Counts per source, in source order; a case recorded twice counts once. */
export function tallyPeerRecords(records: readonly PeerRecord[]): SourceTally[] {
  const bySource = new Map<string, Map<string, PeerOutcome>>();
  for (const r of records) {
    const cases = bySource.get(r.source) ?? new Map<string, PeerOutcome>();
    cases.set(`${r.module}\u0000${r.title}`, r.outcome);
    bySource.set(r.source, cases);
  }
  return [...bySource.keys()].sort().map((source) => {
    const counts: Record<PeerOutcome, number> = {
      passed: 0,
      failed: 0,
      gap: 0,
      knownFailure: 0,
      expectedFailure: 0,
    };
    for (const outcome of bySource.get(source)!.values()) counts[outcome] += 1;
    return { source, applicable: bySource.get(source)!.size, counts };
  });
}

/**
 * One line per source: `django: 412 / 430 passed (95.8%); 12 known failures, 6 capability gaps, 0 failed`.
 * A case the peer itself expects to fail (Django's @expectedFailure) that
 * fails here counts as passed, as in the peer's runner, and is named apart:
 * `… passed (95.8%, 1 of them as an upstream expected failure); …`.
 */
export function formatPeerTally(tallies: readonly SourceTally[]): string[] {
  return tallies.map(({ source, applicable, counts }) => {
    const passed = counts.passed + counts.expectedFailure;
    const percent = applicable === 0 ? 0 : Math.floor((passed / applicable) * 1000) / 10;
    const upstream =
      counts.expectedFailure === 0 ? '' : `, ${counts.expectedFailure} of them as an upstream expected failure`;
    return (
      `${source}: ${passed} / ${applicable} applicable passed (${percent}%${upstream}); ` +
      `${counts.knownFailure} known failures, ${counts.gap} capability gaps, ${counts.failed} failed`
    );
  });
}

export function readPeerTally(file: string): PeerRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as PeerRecord);
}
