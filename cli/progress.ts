// `check`'s progress bar: one cli-progress bar per model, on stderr, only
// when stderr is a terminal (the CLI decides that; this only draws).
import cliProgress from 'cli-progress';
import type { CheckProgress } from './check.js';

/** A progress bar fed by check's `onProgress`. */
export interface ProgressBar {
  readonly update: (progress: CheckProgress) => void;
  readonly stop: () => void;
}

/**
 * A progress bar that starts afresh for each model `check` reads; `unit`
 * names what it counts (`inspectdb` counts collections).
 *
 * @example
 * ```ts
 * const bar = progressBar(process.stderr);
 * await check(conn, models, { onProgress: bar.update });
 * bar.stop();
 * ```
 */
export function progressBar(stream: NodeJS.WritableStream = process.stderr, unit = 'documents'): ProgressBar {
  let bar: cliProgress.SingleBar | undefined;
  let current: string | undefined;
  const stop = (): void => {
    bar?.stop();
    bar = undefined;
    current = undefined;
  };
  const update = ({ model, scanned, total }: CheckProgress): void => {
    if (model !== current) {
      stop();
      current = model;
      bar = new cliProgress.SingleBar(
        { stream, format: `${model} [{bar}] {percentage}% | {value}/{total} ${unit} | ETA {eta_formatted}` },
        cliProgress.Presets.shades_classic,
      );
      bar.start(Math.max(total, 1), scanned);
      return;
    }
    bar?.setTotal(Math.max(total, scanned, 1));
    bar?.update(scanned);
  };
  return { update, stop };
}
