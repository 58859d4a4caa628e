// Deciding about a stream from its first bytes before anything is written:
// the head is held (growing fourfold per attempt, up to a limit), the
// decision is made, and the stream is then handed on whole, head first.
// A refusal happens before the first byte reaches GridFS, so a refused
// upload never leaves a chunk behind.

/** A decision and the stream's bytes, head included, still to be read. */
export interface Inspected<T> {
  readonly value: T;
  readonly body: AsyncIterable<Uint8Array>;
}

type Source = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

function iteratorOf(source: Source): AsyncIterator<Uint8Array> | Iterator<Uint8Array> {
  return Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
}

async function* rest(
  held: readonly Uint8Array[],
  it: AsyncIterator<Uint8Array> | Iterator<Uint8Array> | undefined,
): AsyncGenerator<Uint8Array> {
  yield* held;
  if (!it) return;
  try {
    for (;;) {
      const next = await it.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await it.return?.();
  }
}

/**
 * Reads `source` until `decide(head, final, ended)` returns a value
 * (undefined asks for more bytes; `final` is true once the source ended or
 * `limit` bytes are held, and then decide must return or throw; `ended` says
 * the head is the whole source). A throw from decide closes
 * the source and is rethrown.
 *
 * @example
 * ```ts
 * const { value, body } = await inspectHead(chunks, 4096, (head, final, ended) =>
 *   head.length >= 8 || final ? sniffContentType(head, ended) : undefined,
 * );
 * await storage.save('a.bin', body, { contentType: value });
 * ```
 */
export async function inspectHead<T>(
  source: Source,
  limit: number,
  decide: (head: Buffer, final: boolean, ended: boolean) => T | undefined | Promise<T | undefined>,
): Promise<Inspected<T>> {
  const it = iteratorOf(source);
  const held: Uint8Array[] = [];
  let size = 0;
  let nextTry = 64;
  try {
    for (;;) {
      const next = await it.next();
      if (!next.done) {
        held.push(next.value);
        size += next.value.length;
        if (size < nextTry && size < limit) continue;
      }
      const final = next.done === true || size >= limit;
      const value = await decide(Buffer.concat(held), final, next.done === true);
      if (value !== undefined) return { value, body: rest(held, next.done ? undefined : it) };
      if (final) throw new Error(`inspectHead: no decision on a final head of ${size} bytes`);
      nextTry = size * 4;
    }
  } catch (err) {
    await Promise.resolve(it.return?.()).catch(() => undefined);
    throw err;
  }
}
