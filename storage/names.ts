// File names, Django's way: `/` separates directories and is part of the
// stored name. A storage name given by code is validated: what is harmless is
// cleaned (`./a`, `a//b`), what could leave the location or smuggle bytes is
// rejected with SuspiciousFileOperation. A file name sent by a client (an
// upload's original name) is cleaned as Django's get_valid_filename cleans it:
// its last segment only, spaces to `_`, anything but letters, digits, `-`,
// `_` and `.` dropped.
import { randomInt } from 'node:crypto';
import { SuspiciousFileOperation } from '../core/errors.js';
import { describe } from '../core/values.js';

/** Longest accepted name, in characters (GridFS has no limit; URLs and indexes do). */
export const MAX_NAME_LENGTH = 1024;

// C0 and C1 control characters, DEL, and the Unicode line and paragraph separators.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
const DRIVE = /^[A-Za-z]:/;
// A UTF-16 surrogate without its pair: BSON stores it as U+FFFD, so the stored
// name would differ from the one given, and encodeURIComponent throws on it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function reject(name: string, why: string): never {
  throw new SuspiciousFileOperation(
    `Detected path traversal attempt in ${JSON.stringify(name)}: ${why}. ` +
      'A file name is a relative path of "/"-separated segments, without "..", control characters or backslashes.',
    name,
  );
}

function checkRaw(name: string, original: string): void {
  if (LONE_SURROGATE.test(name)) {
    throw new SuspiciousFileOperation(
      `The file name ${JSON.stringify(name)} contains a lone UTF-16 surrogate, which cannot be stored or put in a URL. ` +
        'A file name must be well-formed Unicode (every surrogate in a pair).',
      original,
    );
  }
  if (CONTROL.test(name)) reject(original, 'it contains a NUL or control character');
  if (name.includes('\\')) reject(original, 'it contains a backslash');
  if (name.startsWith('/')) reject(original, 'it is an absolute path');
  if (DRIVE.test(name)) reject(original, 'it starts with a drive letter');
  if (name.split('/').includes('..')) reject(original, 'it has a ".." segment');
}

/**
 * A storage path, cleaned and checked: `.` segments and repeated or trailing
 * slashes are dropped; `..`, absolute paths, drive letters, backslashes, NUL
 * and control characters (also when hidden behind Unicode look-alikes such as
 * the fullwidth `．．`), and lone UTF-16 surrogates raise {@link SuspiciousFileOperation}. The result may
 * be `''` (the root) only when `allowRoot` is set.
 *
 * @example
 * ```ts
 * cleanPath('./avatars//me.png'); // 'avatars/me.png'
 * cleanPath('../etc/passwd'); // SuspiciousFileOperation
 * ```
 */
export function cleanPath(name: string, allowRoot = false): string {
  if (typeof name !== 'string') {
    throw new SuspiciousFileOperation(`A file name must be a string, not ${describe(name)}.`, String(name));
  }
  checkRaw(name, name);
  const folded = name.normalize('NFKC');
  if (folded !== name) checkRaw(folded, name);
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  const cleaned = parts.join('/');
  if (cleaned === '' && !allowRoot) {
    throw new SuspiciousFileOperation(
      `Could not derive a file name from ${JSON.stringify(name)}: it is empty or only "." and "/".`,
      name,
    );
  }
  if (cleaned.length > MAX_NAME_LENGTH) {
    throw new SuspiciousFileOperation(
      `The file name ${JSON.stringify(name.slice(0, 40))}… is ${cleaned.length} characters long; at most ${MAX_NAME_LENGTH} are accepted.`,
      name,
    );
  }
  return cleaned.normalize('NFC');
}

/**
 * A file name for a name a client sent, Django's get_valid_filename: the last
 * segment (after `/` or `\`, as browsers on Windows send `C:\fakepath\x.png`),
 * trimmed, spaces to `_`, and only letters, digits, `-`, `_` and `.` kept.
 *
 * @example
 * ```ts
 * validFileName("C:\\fakepath\\my photo (1).png"); // 'my_photo_1.png'
 * validFileName('../../'); // SuspiciousFileOperation: Could not derive a file name …
 * ```
 */
export function validFileName(name: string): string {
  const last = String(name).split(/[/\\]/).pop() ?? '';
  const valid = last
    .normalize('NFKC')
    .trim()
    .replace(/\s+/gu, '_')
    .replace(/[^-\p{L}\p{N}_.]/gu, '');
  if (valid === '' || valid === '.' || valid === '..') {
    throw new SuspiciousFileOperation(
      `Could not derive a file name from ${JSON.stringify(name)}: nothing is left after keeping letters, digits, "-", "_" and ".".`,
      name,
    );
  }
  return valid.slice(-255);
}

/** `'avatars/me.tar.gz'` → `['avatars/', 'me', '.tar.gz']`, as Django splits a name for a suffix. */
export function splitName(name: string): readonly [dir: string, root: string, ext: string] {
  const slash = name.lastIndexOf('/');
  const dir = name.slice(0, slash + 1);
  const base = name.slice(slash + 1);
  const dot = base.indexOf('.', 1);
  return dot === -1 ? [dir, base, ''] : [dir, base.slice(0, dot), base.slice(dot)];
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * Django's get_alternative_name: the name with `_` and seven random letters
 * and digits before its extension.
 *
 * @example
 * ```ts
 * alternativeName('avatars/me.png'); // 'avatars/me_x8Kq2Za.png'
 * ```
 */
export function alternativeName(name: string): string {
  const [dir, root, ext] = splitName(name);
  let suffix = '';
  for (let i = 0; i < 7; i++) suffix += ALPHABET[randomInt(ALPHABET.length)];
  return `${dir}${root}_${suffix}${ext}`;
}

/**
 * The stored name for a name relative to `location`.
 *
 * @example
 * ```ts
 * joinLocation('media', 'a.png'); // 'media/a.png'
 * ```
 */
export function joinLocation(location: string, name: string): string {
  return location === '' ? name : name === '' ? location : `${location}/${name}`;
}
