// getNextBy / getPreviousBy (Django's get_next_by_<date field>()): what
// Django's test_get_next_previous_by (test/peer/django/lookup.test.ts) leaves
// out: the default manager's own filter applies, the bad inputs are typed
// errors that send nothing, and an unsaved document is refused.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose, { type HydratedDocument } from 'mongoose';
import {
  DjongoManager,
  DjongooseError,
  DoesNotExist,
  FieldError,
  getPreviousBy,
  manager,
  type DjongooseDocument,
  type Managed,
} from '../../index.js';
import { commandsDuring } from '../helpers/commands.js';
import { openTestDatabase, ready, server } from '../helpers/server.js';

interface PostRaw {
  title?: string;
  published?: boolean;
  at?: Date;
}
type Post = HydratedDocument<PostRaw, DjongooseDocument<PostRaw>>;

// The default manager (the first installed) sees published posts only, as a Django default manager can.
class PublishedManager extends DjongoManager<PostRaw> {
  override getQueryset() {
    return super.getQueryset().filter({ published: true });
  }
}
const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });
const schema = new mongoose.Schema<PostRaw>({ title: String, published: Boolean, at: Date });
schema.plugin(manager, { name: 'published', manager: PublishedManager });
schema.plugin(manager);
const PostModel = await ready(conn.model<PostRaw, Managed<PostRaw>>('NextByPost', schema));
const day = (d: number) => new Date(Date.UTC(2020, 0, d));
const post = async (title: string, d: number, published = true) =>
  (await PostModel.objects.create({ title, at: day(d), published })) as Post;

const p1 = await post('p1', 1);
const hidden = await post('hidden', 2, false);
const p3 = await post('p3', 3);
const p3b = await post('p3b', 3);

describe(`getNextBy / getPreviousBy on ${server.name}`, () => {
  test('walks by the date, then the primary key, through the default manager', async () => {
    assert.equal((await p1.getNextBy('at')).title, 'p3');
    assert.equal((await p3.getNextBy('at')).title, 'p3b');
    assert.equal((await p3b.getPreviousBy('at')).title, 'p3');
    assert.equal((await getPreviousBy(p3, 'at')).title, 'p1');
    // The hidden post is outside the default manager, yet its neighbours are found from it.
    assert.equal((await hidden.getNextBy('at')).title, 'p3');
    await assert.rejects(p1.getPreviousBy('at'), DoesNotExist);
    await assert.rejects(p3b.getNextBy('at', { title: 'p1' }), DoesNotExist);
    assert.equal((await p1.getNextBy('at', { title: 'p3b' })).title, 'p3b');
  });

  test('a field that is no Date, and an unsaved document, are refused without a query', async () => {
    const sent = await commandsDuring(conn, async () => {
      await assert.rejects(
        p1.getNextBy('title' as never),
        (err: unknown) =>
          err instanceof FieldError && /Date field/.test(err.message) && /Choices are: at/.test(err.message),
      );
      await assert.rejects(
        p1.getNextBy('at', 'p3' as never),
        (err: unknown) => err instanceof FieldError && /filters take an object/.test(err.message),
      );
      const unsaved = new PostModel({ title: 'new', at: day(9) }) as Post;
      await assert.rejects(
        unsaved.getNextBy('at'),
        (err: unknown) => err instanceof DjongooseError && /unsaved/.test(err.message),
      );
    });
    assert.equal(sent.length, 0);
  });
});
