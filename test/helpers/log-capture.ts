// Loggers of the three supported kinds whose output the test can read.
import createDebug from 'debug';
import { Writable } from 'node:stream';
import { pino } from 'pino';

export interface Captured<L> {
  logger: L;
  /** Everything written so far. */
  text(): string;
}

/** A real `debug('djongo')` instance, enabled, writing to a buffer. */
export function debugCapture(): Captured<createDebug.Debugger> {
  const lines: string[] = [];
  const logger = createDebug('djongo');
  logger.enabled = true;
  logger.log = (...args: unknown[]) => lines.push(args.map(String).join(' '));
  return { logger, text: () => lines.join('\n') };
}

/** A real pino logger at debug level, writing JSON lines to a buffer. */
export function pinoCapture(): Captured<pino.Logger> {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), text: () => chunks.join('') };
}

/** A console-like object. */
export function consoleCapture(): Captured<{ debug(message: string, ...args: unknown[]): void }> {
  const lines: string[] = [];
  return {
    logger: { debug: (...args: unknown[]) => lines.push(args.map(String).join(' ')) },
    text: () => lines.join('\n'),
  };
}
