// Annotations referenced later (#12 §2.12): filter, exclude and orderBy on an
// annotation, F() of one in another annotate(), and the terminal methods of a
// QuerySet that filters on one. Expected numbers come from SEED: comment
// scores [5, 2], [5] and [], views 100/300/50, likes 150/200/10.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Count, F, FieldError, Q, Sum } from '../../index.js';
import { lacks, openTestDatabase, ready, server } from '../helpers/server.js';
import { commandsDuring } from '../helpers/commands.js';
import { entryModel, SEED } from '../helpers/models.js';

const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });
const Entry = await ready(entryModel(conn));
await Entry.insertMany(SEED);

const byPoints = () => Entry.objects.annotate({ points: Sum('comments__score') });

describe(`filters on annotations on ${server.name}`, () => {
  test('filter, exclude and Q on an annotation match after $addFields', async () => {
    const qs = byPoints().filter({ points__gte: 5 });
    assert.deepEqual(qs.toPipeline(), [
      { $match: {} },
      { $addFields: { points: { $sum: '$comments.score' } } },
      { $match: { points: { $gte: 5 } } },
    ]);
    assert.deepEqual(await qs.orderBy('-points').valuesList('headline', 'points'), [
      ['Hey Jude', 7],
      ['Abbey Road (Remastered)', 5],
    ]);
    assert.deepEqual(await byPoints().exclude({ points__gte: 5 }).valuesList('headline', { flat: true }), [
      'Paint It Black',
    ]);
    // A value from a request is cast as the annotation's type (a number), as a field's.
    const cast = byPoints()
      .filter({ points: '7' as never })
      .valuesList('headline', { flat: true });
    assert.deepEqual(await cast, ['Hey Jude']);
    const either = byPoints().filter(Q({ points: 0 }).or({ points__gt: 6 }), { rating__gte: 3 });
    assert.deepEqual(await either.orderBy('headline').valuesList('headline', { flat: true }), [
      'Hey Jude',
      'Paint It Black',
    ]);
    // The filter on a field stays before the annotations; the one on the annotation after.
    assert.deepEqual(either.toPipeline()[0], { $match: { rating: { $gte: 3 } } });
  });

  test(
    "Django's default alias names an annotation given without a name",
    { skip: lacks('arrayExpressions') },
    async () => {
      // Typed keys split on "__", so a default alias is checked at run time only.
      const qs = Entry.objects.annotate(Count('comments')).filter({ comments__count__gte: 1 } as never);
      const ordered = qs.orderBy('-comments__count' as never, 'headline');
      assert.deepEqual(await ordered.valuesList('headline', 'comments__count' as never), [
        ['Hey Jude', 2],
        ['Abbey Road (Remastered)', 1],
      ]);
    },
  );

  test('count, exists, distinct, update and delete see only the matches of the annotation filter', async () => {
    const two = byPoints().filter({ points__gt: 6 });
    assert.equal(await two.count(), 1);
    assert.equal(await two.exists(), true);
    assert.equal(await byPoints().filter({ points__gt: 99 }).exists(), false);
    assert.deepEqual(await two.distinct('headline'), ['Hey Jude']);
    assert.equal(await two.update({ headline: 'Hey Jude!' }), 1);
    assert.deepEqual(await Entry.objects.filter({ headline: 'Hey Jude!' }).count(), 1);
    await Entry.objects.filter({ headline: 'Hey Jude!' }).update({ headline: 'Hey Jude' });
    const Scratch = await ready(entryModel(conn, 'ScratchEntry'));
    await Scratch.insertMany(SEED);
    assert.equal(
      await Scratch.objects
        .annotate({ points: Sum('comments__score') })
        .filter({ points: 0 })
        .delete(),
      1,
    );
    assert.deepEqual((await Scratch.objects.valuesList('headline', { flat: true })).sort(), [
      'Abbey Road (Remastered)',
      'Hey Jude',
    ]);
  });

  test('an unknown annotation or a bad value is refused before anything is sent', async () => {
    const sent = await commandsDuring(conn, async () => {
      assert.throws(() => byPoints().filter({ pointz__gte: 1 } as never), FieldError);
      assert.throws(
        () =>
          byPoints()
            .filter({ points__gte: 'many' as never })
            .toPipeline(),
        /points/,
      );
      assert.throws(() => byPoints().filter({ points__nope: 1 } as never), FieldError);
    });
    assert.deepEqual(sent, []);
  });
});

describe(`F() of an annotation on ${server.name}`, () => {
  test(
    'in another annotate(): the annotation is inlined, read in the same stage',
    { skip: lacks('arithmeticExpressions') },
    async () => {
      const qs = byPoints()
        .annotate({ bonus: F('points').plus(F('likes')) })
        .filter({ bonus__gt: 200 });
      assert.deepEqual(qs.toPipeline()[1], {
        $addFields: { points: { $sum: '$comments.score' }, bonus: { $add: [{ $sum: '$comments.score' }, '$likes'] } },
      });
      assert.deepEqual(await qs.orderBy('bonus').valuesList('headline', 'bonus'), [['Abbey Road (Remastered)', 205]]);
    },
  );

  test('compared with a field in a filter', { skip: lacks('exprComparison') }, async () => {
    // Ratings 5, 4, 3 against points 7, 5, 0.
    const qs = byPoints().filter({ rating__lt: F('points') });
    assert.deepEqual(await qs.orderBy('headline').valuesList('headline', { flat: true }), [
      'Abbey Road (Remastered)',
      'Hey Jude',
    ]);
  });

  test('in update(): inlined as the F() it stands for; an aggregate has no F() form', async () => {
    const qs = Entry.objects.annotate({ alias: F('views') });
    await assert.rejects(
      Entry.objects.annotate({ n: Count('comments') }).update({ likes: F('n') }),
      (err: unknown) => err instanceof FieldError && /F\("n"\).*Count\("comments"\)/.test((err as Error).message),
    );
    // The cross-field update is a pipeline update (#12 §2.1), which djongoose
    // computes itself where the server refuses it (PIPELINE_UPDATES 'auto'):
    // either way, the alias reads views. Last in the file: it changes likes.
    assert.equal(await qs.filter({ headline: 'Hey Jude' }).update({ likes: F('alias') }), 1);
    const updated = await Entry.objects.get({ headline: 'Hey Jude' });
    assert.equal(updated.likes, updated.views);
    assert.notEqual(SEED[0]?.likes, SEED[0]?.views, 'the seed differs, so the update did something');
  });
});
