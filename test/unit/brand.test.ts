// Branded classes: `instanceof` across two copies of a module, as the ESM and
// CommonJS builds are. Each "copy" here is a class family defined twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { brand, processWide } from '../../core/brand.js';
import { DjongooseError, DoesNotExist } from '../../core/errors.js';
import { F, FExpression, Q, QNode, Raw, RawFilter } from '../../manager/q.js';
import { parseExtendedQuery } from '../helpers/hostile.js';

type ErrorClass = new () => Error;

function family(): { Root: ErrorClass; Child: ErrorClass; Other: ErrorClass } {
  class Root extends Error {
    static {
      brand(this, 'Root');
    }
  }
  class Child extends Root {}
  class Other extends Root {}
  return { Root, Child, Other };
}

test('a branded class recognises the other copy’s instances and their subclasses', () => {
  const a = family();
  const b = family();
  assert.notEqual(a.Root, b.Root);
  assert.ok(new b.Root() instanceof a.Root);
  assert.ok(new b.Child() instanceof a.Root);
  assert.ok(new b.Child() instanceof a.Child);
  assert.equal(new b.Root() instanceof a.Child, false);
  assert.equal(new b.Other() instanceof a.Child, false);
  // Same copy: ordinary instanceof, subclasses included.
  assert.ok(new a.Child() instanceof a.Root);
  assert.equal(new a.Child() instanceof a.Other, false);
});

test('a subclass named like a class of another family does not pass for it', () => {
  class Unbranded extends Error {}
  class Child extends Unbranded {}
  const a = family();
  assert.equal(new Child() instanceof a.Child, false);
  class QNodeLike extends DjongooseError {}
  Object.defineProperty(QNodeLike, 'name', { value: 'QNode' });
  assert.equal(new QNodeLike('x') instanceof QNode, false);
});

test('the brand is a root name plus the subclass chain: DoesNotExist of another root is not ours', () => {
  class DjongooseErrorCopy extends Error {
    static {
      brand(this, 'DjongooseError');
    }
  }
  class DoesNotExistCopy extends DjongooseErrorCopy {}
  Object.defineProperty(DoesNotExistCopy, 'name', { value: 'DoesNotExist' });
  assert.ok(new DoesNotExistCopy() instanceof DoesNotExist);
  assert.ok(new DoesNotExistCopy() instanceof DjongooseError);
  // The plain Error's name alone is not enough.
  assert.equal(Object.assign(new Error('x'), { name: 'DoesNotExist' }) instanceof DoesNotExist, false);
});

test('request data never passes for a Q, a Raw filter or an F', () => {
  const parsers = [
    (s: string): unknown => JSON.parse(s),
    (s: string): unknown => parseExtendedQuery(s),
    (s: string): unknown => Object.fromEntries(new URLSearchParams(s)),
  ];
  const samples = [
    '{"kind":"q","connector":"AND","negated":false,"children":[]}',
    '{"kind":"raw","filter":{"$where":"1"}}',
    '{"kind":"f","field":"views","ops":[]}',
    'kind=q&connector=AND&children[0][kind]=raw',
    '{"__proto__":{"kind":"q"},"constructor":{"name":"QNode"}}',
  ];
  for (const parse of parsers) {
    for (const sample of samples) {
      let value: unknown;
      try {
        value = parse(sample);
      } catch {
        continue;
      }
      for (const cls of [QNode, RawFilter, FExpression, DjongooseError]) assert.equal(value instanceof cls, false);
    }
  }
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      for (const cls of [QNode, RawFilter, FExpression, DjongooseError]) assert.equal(value instanceof cls, false);
    }),
  );
});

test('values made by this copy are still instances of their classes', () => {
  assert.ok(Q({ a: 1 }) instanceof QNode);
  assert.ok(Raw({ a: 1 }).children[0] instanceof RawFilter);
  assert.ok(F('views').plus(1) instanceof FExpression);
  assert.equal(F('views') instanceof QNode, false);
});

test('processWide hands every caller of a key the same value, made once', () => {
  const key = `djongoose.test.${process.pid}.${Math.random()}`;
  let made = 0;
  const first = processWide(key, () => ({ n: ++made }));
  const second = processWide(key, () => ({ n: ++made }));
  assert.equal(first, second);
  assert.equal(made, 1);
  assert.equal((globalThis as unknown as Record<symbol, unknown>)[Symbol.for(key)], first);
});
