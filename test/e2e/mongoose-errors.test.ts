// Our errors as a Mongoose app meets them, against a real server: an Express
// error handler written the usual Mongoose way (instanceof
// mongoose.Error.ValidationError, then err.errors[path].message) answers 400
// to a djongoose ValidationError as to Mongoose's own; and the errors thrown
// only after the server answered carry the message their JSDoc example shows.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import mongoose from 'mongoose';
import { DjongooseError, GridFSStorage, ValidationError, paginate, type FilterInput } from '../../index.js';
import { openTestDatabase, ready, server } from '../helpers/server.js';
import { entryModel, SEED } from '../helpers/models.js';
import { assertMatchesExample } from '../helpers/error-examples.js';

const conn = await openTestDatabase(import.meta.url);
const Entry = await ready(entryModel(conn));
await Entry.insertMany(SEED);

const api = express();
api.use(express.json());
api.get('/entries', async (req: Request, res: Response) => {
  const where: FilterInput = { rating: req.query['rating'] };
  res.json(await Entry.objects.filter(where).lean());
});
api.patch('/entries/:headline', async (req: Request, res: Response) => {
  const where: FilterInput = { headline: req.params['headline'] };
  res.json({ updated: await Entry.objects.filter(where).update(req.body as Record<string, unknown>) });
});
api.post('/entries', async (req: Request, res: Response) => {
  res.status(201).json(await Entry.create(req.body as object));
});
// The handler from Mongoose's documentation and every Express tutorial: it knows nothing of djongoose.
api.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
  void next;
  if (err instanceof mongoose.Error.ValidationError) {
    res.status(400).json({
      name: err.name,
      errors: Object.fromEntries(Object.entries(err.errors).map(([k, v]) => [k, v.message])),
    });
    return;
  }
  res.status(500).json({ message: String(err) });
});
const listener = api.listen(0, '127.0.0.1');
await new Promise((resolve) => listener.once('listening', resolve));
const base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
after(() => listener.close());

async function ask(method: string, path: string, body?: object): Promise<{ status: number; body: unknown }> {
  const response = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: await response.json() };
}

describe(`a Mongoose-style Express error handler, on ${server.name}`, () => {
  test('answers 400 with errors by path to a filter value djongoose cannot cast', async () => {
    assert.equal((await ask('GET', '/entries?rating=5')).status, 200);
    const { status, body } = await ask('GET', '/entries?rating=five');
    assert.equal(status, 400, JSON.stringify(body));
    const { name, errors } = body as { name: string; errors: Record<string, string> };
    assert.equal(name, 'ValidationError');
    assert.deepEqual(Object.keys(errors), ['rating']);
    assert.match(errors['rating'] ?? '', /^Entry\.rating: cannot cast the string "five" to Number/);
  });

  test('answers 400 to an update value djongoose refuses, and nothing is written', async () => {
    const before = await Entry.find().lean();
    const { status, body } = await ask('PATCH', '/entries/Hey%20Jude', { rating: 'five' });
    assert.equal(status, 400, JSON.stringify(body));
    const { name, errors } = body as { name: string; errors: Record<string, string> };
    assert.equal(name, 'ValidationError');
    assert.deepEqual(Object.keys(errors), ['rating']);
    assert.match(errors['rating'] ?? '', /five/);
    assert.deepEqual(await Entry.find().lean(), before);
  });

  test("answers 400 to Mongoose's own ValidationError alike", async () => {
    const { status, body } = await ask('POST', '/entries', { headline: 'x'.repeat(300), rating: 'five' });
    assert.equal(status, 400, JSON.stringify(body));
    const { errors } = body as { errors: Record<string, string> };
    assert.deepEqual(Object.keys(errors).sort(), ['headline', 'rating']);
    assert.match(errors['rating'] ?? '', /Cast to Number failed/);
  });

  test('the error is ours as well: ValidationError, DjongooseError, with its field', async () => {
    const err = await Entry.objects
      .filter({ pk: 'not-an-id' })
      .fetch()
      .then(
        () => assert.fail('a bad id was accepted'),
        (e: unknown) => e,
      );
    assert.ok(err instanceof ValidationError);
    assert.ok(err instanceof DjongooseError);
    assert.ok(err instanceof mongoose.Error.ValidationError);
    assert.equal(err.field, 'Entry._id');
    assert.equal(err.errors['_id']?.message, err.message);
    assert.equal(err.errors['_id']?.kind, 'djongoose');
    assert.equal(String(err), `ValidationError: ${err.message}`);
  });
});

describe(`the JSDoc examples of errors a server answer leads to, on ${server.name}`, () => {
  const media = new GridFSStorage({ collection: 'media', connection: conn });

  test('MultipleObjectsReturned', async () => {
    await assert.rejects(Entry.objects.get({ blog__name: 'Beatles Blog' }), (err: unknown) =>
      assertMatchesExample(err, 'MultipleObjectsReturned'),
    );
  });

  test('EmptyPage', async () => {
    await assert.rejects(paginate(Entry.objects.all(), 9, 2), (err: unknown) => assertMatchesExample(err, 'EmptyPage'));
  });

  test('FileNotFound', async () => {
    await assert.rejects(media.open('avatars/missing.png'), (err: unknown) =>
      assertMatchesExample(err, 'FileNotFound'),
    );
  });

  test('InvalidRange', async () => {
    await media.save('notes.txt', 'fourteen bytes');
    await assert.rejects(media.open('notes.txt', { start: 10, end: 5 }), (err: unknown) =>
      assertMatchesExample(err, 'InvalidRange'),
    );
  });
});
