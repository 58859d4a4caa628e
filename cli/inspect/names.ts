// Names from the database, made safe to print in TypeScript source. Whatever
// a collection or field is called (quotes, backticks, newlines, U+2028,
// `__proto__`, `${`), it reaches the generated module only as a string
// literal of printable ASCII, or as an identifier made of letters and
// digits: never as code.

/**
 * A double-quoted string literal of `text`, every character outside
 * printable ASCII (and `"`, `\`) escaped: safe in code and in a `//` comment.
 *
 * @example
 * ```ts
 * quote('a"b\n'); // '"a\\"b\\u000a"'
 * ```
 */
export function quote(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const char = text[i] as string;
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (code >= 0x20 && code <= 0x7e) out += char;
    else out += `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * `name` as an object literal key: bare when it is a plain identifier, else
 * quoted. `__proto__` is computed (`["__proto__"]`), since a literal key of
 * that name sets the prototype instead of a property.
 *
 * @example
 * ```ts
 * propertyKey('headline'); // 'headline'
 * propertyKey('a-b'); // '"a-b"'
 * ```
 */
export function propertyKey(name: string): string {
  if (name === '__proto__') return `[${quote(name)}]`;
  return PLAIN_KEY.test(name) ? name : quote(name);
}

/**
 * A model name for a collection, as Django's inspectdb makes one for a table:
 * each word capitalised, only letters and digits kept (`blog_entry` →
 * `BlogEntry`; unlike Django, `myPosts` keeps its inner capital:
 * `MyPosts`); `Model` in front of a name that would start with a digit or be
 * empty.
 *
 * @example
 * ```ts
 * modelName('blog_entry'); // 'BlogEntry'
 * ```
 */
export function modelName(collection: string): string {
  const words = collection.split(/[^A-Za-z0-9]+/).filter((word) => word !== '');
  const name = words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
  return /^[A-Za-z]/.test(name) ? name : `Model${name}`;
}

/** Hands out identifiers, each once: `BlogEntry`, then `BlogEntry2`. */
export class Identifiers {
  readonly #used: Set<string>;

  constructor(reserved: Iterable<string>) {
    this.#used = new Set(reserved);
  }

  /** A fresh identifier made from `parts` (each title-cased, letters and digits only). */
  take(...parts: string[]): string {
    const base = modelName(parts.join('_'));
    let name = base;
    for (let n = 2; this.#used.has(name); n++) name = `${base}${n}`;
    this.#used.add(name);
    return name;
  }
}
