// One ported case of a peer's test suite (Django, MongoEngine, djongo), run
// as a node:test test whose outcome is also written to the run's tally, so
// `npm test` can print, per source and server, `passed / applicable`.
//
// A case is applicable once it is ported: cases that cannot apply to a
// document database are not ported at all, and are listed in README.md.
// Among the applicable:
//   - `gap`: the server lacks a capability (test/harness/capabilities.ts);
//     skipped on that server only, with the gap named.
//   - `knownFailure`: djongoose does not do it yet. The case still runs and
//     must still fail (a strict expected failure): when it starts passing,
//     the test fails and asks for the mark to go.
//   - `upstreamExpectedFailure`: the peer itself marks the case
//     @expectedFailure (Django's runner counts it as a success when it
//     fails). The case runs and must fail, as upstream; it then counts as
//     passed, shown apart in the tally. If it passes, the test fails: we
//     would then differ from the peer.
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import type { Capability } from '../harness/capabilities.js';
import { lacks, server } from '../helpers/server.js';

export type PeerOutcome = 'passed' | 'failed' | 'gap' | 'knownFailure' | 'expectedFailure';

/** One line of the tally file. */
export interface PeerRecord {
  source: string;
  module: string;
  title: string;
  server: string;
  outcome: PeerOutcome;
}

export interface CaseOptions {
  /** Skip on a server that lacks this capability. */
  gap?: Capability | readonly Capability[];
  /** Why djongoose fails this case today: an issue item, e.g. '#12 §2.11 F inside in'. */
  knownFailure?: string;
  /**
   * Why the peer itself expects this case to fail (Django's @expectedFailure),
   * e.g. "Django's own @expectedFailure: in drops None". It must fail here
   * too, and then counts as passed, as in the peer's runner.
   */
  upstreamExpectedFailure?: string;
  /** Milliseconds before the case fails; 60 s unless given. */
  timeout?: number;
}

type Body = () => unknown;

interface ExpectedFailure {
  outcome: 'knownFailure' | 'expectedFailure';
  label: string;
  reason: string;
  whenPassing: string;
}

/** The case's expected failure, if it has one: ours (knownFailure) or the peer's own. */
function expectedFailure(options: CaseOptions): ExpectedFailure | undefined {
  if (options.knownFailure !== undefined && options.upstreamExpectedFailure !== undefined) {
    throw new Error('A peer case is a knownFailure or an upstreamExpectedFailure, not both.');
  }
  if (options.knownFailure !== undefined) {
    const reason = options.knownFailure;
    return { outcome: 'knownFailure', label: 'known failure', reason, whenPassing: 'remove its knownFailure mark' };
  }
  if (options.upstreamExpectedFailure !== undefined) {
    return {
      outcome: 'expectedFailure',
      label: 'upstream expected failure',
      reason: options.upstreamExpectedFailure,
      whenPassing: 'the peer expects it to fail, so djongoose now differs from the peer; find out why',
    };
  }
  return undefined;
}

function record(entry: PeerRecord): void {
  const file = process.env['DJONGOOSE_PEER_TALLY'];
  if (file) appendFileSync(file, `${JSON.stringify(entry)}\n`);
}

/**
 * The ported cases of one test file: `test/peer/<source>/<module>.test.ts`.
 *
 * @example
 * ```ts
 * const peer = peerSuite(import.meta.url);
 * peer.case('LookupTests.test_in_bulk', async () => { ... });
 * peer.case('ExpressionsTests.test_update_with_fk', { gap: 'lookup' }, async () => { ... });
 * ```
 */
export function peerSuite(importMetaUrl: string): {
  case(title: string, body: Body): void;
  case(title: string, options: CaseOptions, body: Body): void;
} {
  const file = fileURLToPath(importMetaUrl);
  const source = path.basename(path.dirname(file));
  const module = path.basename(file).replace(/\.test\.ts$/, '');
  return {
    case(title: string, optionsOrBody: CaseOptions | Body, maybeBody?: Body): void {
      const options = typeof optionsOrBody === 'function' ? {} : optionsOrBody;
      const body = typeof optionsOrBody === 'function' ? optionsOrBody : maybeBody!;
      const gaps = options.gap === undefined ? [] : typeof options.gap === 'string' ? [options.gap] : options.gap;
      const skip = gaps.map((g) => lacks(g)).find((reason) => reason !== false) ?? false;
      const base = { source, module, title, server: server.kind };
      const expected = expectedFailure(options);
      const name = expected ? `${title} [${expected.label}: ${expected.reason}]` : title;
      test(name, { skip, timeout: options.timeout ?? 60_000 }, async () => {
        if (skip) return;
        if (expected) {
          let passed = false;
          try {
            await body();
            passed = true;
          } catch {
            record({ ...base, outcome: expected.outcome });
          }
          if (passed) {
            record({ ...base, outcome: 'failed' });
            throw new Error(`${title} now passes: ${expected.whenPassing} (${expected.reason})`);
          }
          return;
        }
        try {
          await body();
        } catch (error) {
          record({ ...base, outcome: 'failed' });
          throw error;
        }
        record({ ...base, outcome: 'passed' });
      });
      if (skip) record({ ...base, outcome: 'gap' });
    },
  };
}
