// Django's `null` and `blank`, and Mongoose's `required`, as one rule shared
// by every field helper. Django defaults both to False but enforces them only
// in full_clean(), which djongo's save() never calls, so documents djongo
// wrote may lack any field. Fields here are therefore optional unless asked
// otherwise, and an old document still loads and saves.

/** Presence options every field helper takes. */
export interface PresenceOptions {
  /** djongo's `null`. `false`: the value may not be null or missing. Default `true`. */
  readonly null?: boolean;
  /** djongo's `blank`. `false`: the value may not be missing or empty (`''`, `[]`, `{}`). Default `true`. */
  readonly blank?: boolean;
  /** Mongoose's spelling of `null: false`. Default `false`. */
  readonly required?: boolean;
}

/** `{ required: true }` in the type of a definition when the options demand a value. */
export type Presence<O> = O extends { readonly required: true } | { readonly null: false } | { readonly blank: false }
  ? { required: true }
  : unknown;

/** `{ default: D }` in the type of a definition when the options give one. */
export type WithDefault<O> = O extends { readonly default: infer D } ? { default: D } : unknown;

/** Django's empty values: None, '', [], (), {}. A subdocument is empty when it has no values set. */
export function isBlank(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value !== 'object' || value instanceof Date) return false;
  const toObject = (value as { toObject?: unknown }).toObject;
  const plain = typeof toObject === 'function' ? (toObject.call(value) as unknown) : value;
  if (typeof plain !== 'object' || plain === null) return false;
  return Object.values(plain).every((v) => v === undefined);
}

/** The Mongoose options that carry a {@link PresenceOptions}: `required`, and a blank check. */
export function presence(options: PresenceOptions): Record<string, unknown> {
  const required = options.required === true || options.null === false || options.blank === false;
  const out: Record<string, unknown> = {};
  if (required) out['required'] = true;
  if (options.blank === false) {
    out['validate'] = {
      validator: function notBlank(value: unknown): boolean {
        return !isBlank(value);
      },
      message: 'Path `{PATH}` may not be blank (blank: false).',
    };
  }
  return out;
}
