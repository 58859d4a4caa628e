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

/**
 * A Questioner answering from the options, then the prompt.
 *
 * @example
 * ```ts
 * const ask = questioner({ renames: ['title:name'], defaults: { owner: 'admin' }, yes: true });
 * await ask.askRename('Blog', 'title', 'name'); // true
 * ```
 */
export function questioner(options: AnswerOptions): Questioner {
  const renames = (options.renames ?? []).map((pair) => pair.split(':'));
  return {
    async askRename(model, from, to) {
      if (renames.some(([a, b]) => a === from && b === to)) return true;
      if (options.yes || renames.some(([a, b]) => a === from || b === to)) return false;
      if (options.prompt)
        return /^y/i.test((await options.prompt(`Was ${model}.${from} renamed to ${to}? [y/N] `)).trim());
      throw new AnswerRequired(
        `${model}: ${from} is gone and ${to} is new, with the same type: was it renamed? Pass --rename ${from}:${to} ` +
          'if it was, or --yes if it was not (then the one is removed and the other added). Nothing was written.',
      );
    },
    async askDefault(model, field, state) {
      const given = options.defaults?.[`${model}.${field}`] ?? options.defaults?.[field];
      if (given !== undefined) return typed(given, state);
      if (!options.prompt || options.yes) return undefined;
      const answer = await options.prompt(`${model}.${field} is required; a value for the stored documents: `);
      return answer.trim() === '' ? undefined : typed(answer.trim(), state);
    },
  };
}
