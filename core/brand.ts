// An app that both imports (ESM build) and requires (CJS build) djongoose
// holds two copies of every class, so class identity cannot tell a Q, an F
// or a DoesNotExist made by the other copy. A branded class answers
// `instanceof` by a process-wide symbol and its class-name chain instead.
// The root's name is given, not read: bundlers may rename a class with
// fields (the CJS build's QNode is `_class2`). Its subclasses (errors,
// ImageField) keep the names their `class X extends` gives them.
// Symbols are out of reach of JSON.parse, qs and URLSearchParams, so request
// data still cannot pass for a branded value.

// `.v1`: the shape of branded values. Bump it when they change, so two
// djongoose versions in one process never take each other's values.
const BRAND = Symbol.for('djongoose.brand.v1');

const ordinaryHasInstance = Function.prototype[Symbol.hasInstance];

/** Class names from `proto` up to and including the branded root. */
function brandChain(proto: object | null): unknown[] {
  const names: unknown[] = [];
  for (let p = proto; p !== null && BRAND in p; p = Object.getPrototypeOf(p) as object | null) {
    names.push(Object.hasOwn(p, BRAND) ? (p as Record<symbol, unknown>)[BRAND] : p.constructor.name);
  }
  return names;
}

function brandedHasInstance(this: abstract new (...args: never[]) => unknown, value: unknown): boolean {
  if (ordinaryHasInstance.call(this, value)) return true;
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null || !(BRAND in value)) return false;
  // The other copy's class of the same name, with the same ancestors up to the
  // branded root: `DoesNotExist → DjongooseError`, `ImageField → FileField`.
  const wanted = brandChain(this.prototype as object);
  if (wanted.length === 0) return false;
  const have = brandChain(Object.getPrototypeOf(value) as object | null);
  const offset = have.length - wanted.length;
  return offset >= 0 && wanted.every((name, i) => have[offset + i] === name);
}

/**
 * Makes `instanceof cls` (and of its subclasses) hold for values made by
 * another copy of djongoose in the same process. Call it once, on the root
 * of a family (`DjongooseError`, `QNode`, `FileField`), with the class's
 * name; subclasses inherit it.
 *
 * @example
 * ```ts
 * class QNode { static { brand(this, 'QNode'); } }
 * cjs.Q({ a: 1 }) instanceof QNode; // true, though made by the CommonJS build
 * ```
 */
export function brand(cls: abstract new (...args: never[]) => unknown, name: string): void {
  Object.defineProperty(cls.prototype, BRAND, { value: name });
  // Configurable: core/errors.ts wraps DjongooseError's test (see ValidationError there).
  Object.defineProperty(cls, Symbol.hasInstance, { value: brandedHasInstance, configurable: true });
}

/**
 * One value per process, shared by every copy of djongoose loaded in it: made
 * by the first copy that asks, under `Symbol.for(key)` on `globalThis`.
 *
 * @example
 * ```ts
 * const shared = processWide('djongoose.lookups.v1', () => ({ registry: new Map(), version: 0 }));
 * ```
 */
export function processWide<T>(key: string, create: () => T): T {
  const symbol = Symbol.for(key);
  const holder = globalThis as unknown as Record<symbol, T | undefined>;
  return (holder[symbol] ??= create());
}
