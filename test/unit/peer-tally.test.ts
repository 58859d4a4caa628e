import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPeerTally, tallyPeerRecords } from '../harness/peer-tally.js';
import type { PeerRecord } from '../peer/case.js';

const rec = (source: string, title: string, outcome: PeerRecord['outcome']): PeerRecord => ({
  source,
  module: 'm',
  title,
  server: 'ferretdb',
  outcome,
});

test('the tally counts each case once per source, and every outcome as applicable', () => {
  const tallies = tallyPeerRecords([
    rec('mongoengine', 'a', 'passed'),
    rec('django', 'a', 'passed'),
    rec('django', 'b', 'gap'),
    rec('django', 'c', 'knownFailure'),
    rec('django', 'd', 'failed'),
    rec('django', 'a', 'passed'),
  ]);
  assert.deepEqual(
    tallies.map((t) => [t.source, t.applicable, t.counts]),
    [
      ['django', 4, { passed: 1, failed: 1, gap: 1, knownFailure: 1, expectedFailure: 0 }],
      ['mongoengine', 1, { passed: 1, failed: 0, gap: 0, knownFailure: 0, expectedFailure: 0 }],
    ],
  );
  assert.deepEqual(formatPeerTally(tallies), [
    'django: 1 / 4 applicable passed (25%); 1 known failures, 1 capability gaps, 1 failed',
    'mongoengine: 1 / 1 applicable passed (100%); 0 known failures, 0 capability gaps, 0 failed',
  ]);
});

test("a case the peer itself expects to fail counts as passed, as in the peer's runner, and is named apart", () => {
  const tallies = tallyPeerRecords([
    rec('django', 'a', 'passed'),
    rec('django', 'b', 'expectedFailure'),
    rec('django', 'c', 'knownFailure'),
    rec('django', 'd', 'gap'),
  ]);
  assert.deepEqual(tallies[0]?.counts, { passed: 1, failed: 0, gap: 1, knownFailure: 1, expectedFailure: 1 });
  assert.deepEqual(formatPeerTally(tallies), [
    'django: 2 / 4 applicable passed (50%, 1 of them as an upstream expected failure); ' +
      '1 known failures, 1 capability gaps, 0 failed',
  ]);
});
