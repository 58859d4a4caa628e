// getOrCreate's and updateOrCreate's defaults and createDefaults, beyond
// Django's own cases (test/peer/django/get-or-create.test.ts): which of them
// is read on which path, and virtuals with a setter among them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { FieldError, ValidationError, manager, type Managed } from '../../index.js';
import { openTestDatabase, ready, server } from '../helpers/server.js';

interface CardRaw {
  title: string;
  slug?: string;
  views?: number;
  owner?: mongoose.Types.ObjectId;
}

const conn = await openTestDatabase(import.meta.url);
const schema = new mongoose.Schema<CardRaw>({
  title: { type: String, required: true, unique: true },
  slug: String,
  views: { type: Number, default: 0 },
  owner: mongoose.Schema.Types.ObjectId,
});
// Django's property with a setter, one that refuses some values, and a populate virtual.
schema.virtual('heading').set(function (this: CardRaw, value: string) {
  this.slug = value.toLowerCase().replace(/\s+/g, '-');
});
schema.virtual('strict_heading').set(function (this: CardRaw, value: unknown) {
  if (typeof value !== 'string') throw new TypeError('a heading is text');
  this.slug = value;
});
schema.virtual('owners', { ref: 'GocOwner', localField: 'owner', foreignField: '_id' });
schema.plugin(manager);
const Card = await ready(conn.model<CardRaw, Managed<CardRaw>>('GocCard', schema));

/** A defaults object that fails the test when anything reads it. */
function unreadable(): never {
  const fail = (): never => assert.fail('read');
  return new Proxy({}, { get: fail, ownKeys: fail, getOwnPropertyDescriptor: fail, has: fail }) as never;
}

async function withCard(): Promise<void> {
  await Card.deleteMany({});
  await Card.objects.create({ title: 'Hey Jude', views: 7 });
}

describe(`getOrCreate/updateOrCreate defaults on ${server.name}`, () => {
  test('updateOrCreate on an existing document reads defaults, never createDefaults', async () => {
    await withCard();
    const [card, created] = await Card.objects.updateOrCreate({ title: 'Hey Jude' }, { views: 8 }, unreadable());
    assert.equal(created, false);
    assert.equal(card.views, 8);
    // A bad name in createDefaults is not reported when nothing is created, as Django's.
    await Card.objects.updateOrCreate({ title: 'Hey Jude' }, { views: 9 }, { nope: 1 } as never);
    assert.equal((await Card.objects.get({ title: 'Hey Jude' })).views, 9);
  });

  test('updateOrCreate creating reads createDefaults, never defaults', async () => {
    await withCard();
    const [card, created] = await Card.objects.updateOrCreate({ title: 'Let It Be' }, unreadable(), { views: 1 });
    assert.equal(created, true);
    assert.equal(card.views, 1);
    assert.equal((await Card.objects.get({ title: 'Let It Be' })).views, 1);
  });

  test('an empty createDefaults creates from the lookup alone, not from defaults', async () => {
    await withCard();
    const [card] = await Card.objects.updateOrCreate({ title: 'Help' }, { views: 5 }, {});
    assert.equal((await Card.objects.get({ pk: card._id })).views, 0);
  });

  test('getOrCreate on an existing document ignores bad defaults; creating reports them and writes nothing', async () => {
    await withCard();
    const [, created] = await Card.objects.getOrCreate({ title: 'Hey Jude' }, { nope: 1 } as never);
    assert.equal(created, false);
    await assert.rejects(
      Card.objects.getOrCreate({ title: 'Help' }, { nope: 1 } as never),
      (err: unknown) => err instanceof FieldError && err.message.includes('"nope"'),
    );
    assert.equal(await Card.objects.count(), 1);
  });

  test('a bad lookup keyword is reported before bad defaults, by getOrCreate too', async () => {
    await withCard();
    await assert.rejects(
      Card.objects.getOrCreate({ titel: 'x' } as never, { nope: 1 } as never),
      (err: unknown) => err instanceof FieldError && err.message.includes('titel') && !err.message.includes('nope'),
    );
  });

  test('a virtual setter runs after the fields, on create and on update', async () => {
    await withCard();
    const [card] = await Card.objects.getOrCreate({ title: 'Let It Be' }, { heading: 'Let It Be', slug: 'x' } as never);
    assert.equal(card.slug, 'let-it-be');
    assert.equal((await Card.objects.get({ title: 'Let It Be' })).slug, 'let-it-be');
    const [updated, created] = await Card.objects.updateOrCreate({ title: 'Hey Jude' }, {
      heading: () => 'Hey  Jude',
    } as never);
    assert.equal(created, false);
    assert.equal(updated.slug, 'hey-jude');
    assert.equal((await Card.objects.get({ title: 'Hey Jude' })).slug, 'hey-jude');
  });

  test('a setter that throws is a ValidationError naming the virtual, and nothing is written', async () => {
    await withCard();
    await assert.rejects(
      Card.objects.getOrCreate({ title: 'Help' }, { strict_heading: 5 } as never),
      (err: unknown) =>
        err instanceof ValidationError &&
        err.field === 'GocCard.strict_heading' &&
        err.message.includes('a heading is text') &&
        err.cause instanceof TypeError,
    );
    await assert.rejects(
      Card.objects.updateOrCreate({ title: 'Hey Jude' }, { views: 1, strict_heading: 5 } as never),
      ValidationError,
    );
    assert.equal(await Card.objects.count(), 1);
    assert.equal((await Card.objects.get({ title: 'Hey Jude' })).views, 7);
  });

  test('a populate virtual is no field for defaults, and the id getter is the primary key', async () => {
    await withCard();
    await assert.rejects(
      Card.objects.getOrCreate({ title: 'Help' }, { owners: [] } as never),
      (err: unknown) => err instanceof FieldError && err.message.includes('"owners"'),
    );
    await assert.rejects(
      Card.objects.getOrCreate({ title: 'Help' }, { id: String(new mongoose.Types.ObjectId()) } as never),
      (err: unknown) => err instanceof FieldError && err.message.includes('cannot set GocCard._id'),
    );
    assert.equal(await Card.objects.count(), 1);
  });
});
