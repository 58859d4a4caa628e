// The answers makemigrations needs, from the options first (--rename,
// --default, --yes), then from a prompt when the run has one; otherwise an
// AnswerRequired naming the option that answers, with nothing written.
import { AnswerRequired } from '../../core/errors.js';
import type { Questioner } from './autodetect.js';
import type { FieldState, StoredValue } from './state.js';

/** How makemigrations gets its answers. */
export interface AnswerOptions {
  /** `old:new` pairs (--rename): those fields were renamed. */
  readonly renames?: readonly string[];
  /** Values for required fields without a default (--default field=value, or Model.field=value). */
  readonly defaults?: Readonly<Record<string, StoredValue>>;
  /** Ask nothing: what is not answered by the options is not a rename, and a missing value refuses. */
  readonly yes?: boolean;
  /** Asks a person; resolves to the answer typed. Absent: not interactive. */
  readonly prompt?: (question: string) => Promise<string>;
}

function typed(value: StoredValue, field: FieldState): StoredValue {
  if (typeof value !== 'string') return value;
  if (field.type === 'Number' || field.type === 'Double') {
    const n = Number(value);
    if (value.trim() !== '' && Number.isFinite(n)) return n;
  } else if (field.type === 'Boolean' && /^(true|false)$/i.test(value)) {
    return value.toLowerCase() === 'true';
  } else if (field.type === 'Date' && !Number.isNaN(new Date(value).getTime())) {
    return new Date(value);
  } else if (!['Number', 'Double', 'Boolean', 'Date'].includes(field.type)) {
    return value;
  }
  throw new AnswerRequired(
    `The default ${JSON.stringify(value)} is not a ${field.type}; give one that is (a number, true/false, or an ISO date).`,
  );
}

/** A Questioner that also tells which of its options no question used. */
export interface OptionsQuestioner extends Questioner {
  /**
   * The --rename and --default answers that matched no question, each with
   * what it could have named; empty when every one was used.
   */
  unused(): string[];
}

/**
 * A Questioner answering from the options, then the prompt.
 *
 * @example
 * ```ts
 * const ask = questioner({ renames: ['title:name'], defaults: { owner: 'admin' }, yes: true });
 * await ask.askRename('Blog', 'title', 'name'); // true
 * ask.unused(); // ['--default owner=admin names no required field added without a default; …']
 * ```
 */
export function questioner(options: AnswerOptions): OptionsQuestioner {
  const renames = (options.renames ?? []).map((pair) => pair.split(':'));
  const renamesAsked: string[] = [];
  const defaultsAsked: string[] = [];
  const used = new Set<string>();
  return {
    async askRename(model, from, to) {
      renamesAsked.push(`${from}:${to} (${model})`);
      if (renames.some(([a, b]) => a === from && b === to)) return (used.add(`${from}:${to}`), true);
      if (options.yes || renames.some(([a, b]) => a === from || b === to)) return false;
      if (options.prompt)
        return /^y/i.test((await options.prompt(`Was ${model}.${from} renamed to ${to}? [y/N] `)).trim());
      throw new AnswerRequired(
        `${model}: ${from} is gone and ${to} is new, with the same type: was it renamed? Pass --rename ${from}:${to} ` +
          'if it was, or --yes if it was not (then the one is removed and the other added). Nothing was written.',
      );
    },
    async askDefault(model, field, state) {
      defaultsAsked.push(`${model}.${field}`);
      const key = options.defaults?.[`${model}.${field}`] === undefined ? field : `${model}.${field}`;
      const given = options.defaults?.[key];
      if (given !== undefined) return (used.add(`=${key}`), typed(given, state));
      if (!options.prompt || options.yes) return undefined;
      const answer = await options.prompt(`${model}.${field} is required; a value for the stored documents: `);
      return answer.trim() === '' ? undefined : typed(answer.trim(), state);
    },
    unused() {
      const renameProblems = (options.renames ?? [])
        .filter((pair) => !used.has(pair))
        .map(
          (pair) =>
            `--rename ${pair} names no renamed field of this change; the candidates (a removed and an added ` +
            `field of one type, on one model, or two models of one shape) are: ${renamesAsked.join(', ') || 'none'}.`,
        );
      const defaultProblems = Object.entries(options.defaults ?? {})
        .filter(([key]) => !used.has(`=${key}`))
        .map(
          ([key, value]) =>
            `--default ${key}=${String(value)} names no required field added without a default; those of this ` +
            `change are: ${defaultsAsked.join(', ') || 'none'}.`,
        );
      return [...renameProblems, ...defaultProblems];
    },
  };
}
