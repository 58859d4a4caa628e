// Ported from Django's tests/basic/tests.py (ModelRefreshTests): reloading
// a document's fields from the database, Django's
// `instance.refresh_from_db(fields=…, from_queryset=…)`, which the manager
// plugin gives documents (refreshFromDb, and Django's spelling used here).
// Models: models/basic.ts.
import assert from 'node:assert/strict';
import type { QuerySet } from '../../../index.js';
import { commandsDuring } from '../../helpers/commands.js';
import { openTestDatabase } from '../../helpers/server.js';
import { peerSuite } from '../case.js';
import { basicModels, emptyBasic } from './models/basic.js';

const peer = peerSuite(import.meta.url);
const conn = await openTestDatabase(import.meta.url, { monitorCommands: true });
const m = await basicModels(conn);
const { Article, SelfRef, FeaturedArticle } = m;

const queries = async (block: () => unknown) => (await commandsDuring(conn, block)).length;

/** Django's Model.refresh_from_db, as a document would carry it. */
interface Refreshable {
  refresh_from_db(options?: {
    fields?: readonly string[];
    from_queryset?: QuerySet<never, never>;
    [unknown: string]: unknown;
  }): Promise<void>;
}
const refreshable = (doc: unknown) => doc as Refreshable;
/** #12 §3's selectRelated on the manager, as Django's `objects.select_related(...)`. */
const featuredWithArticle = () =>
  (FeaturedArticle.objects as unknown as { selectRelated(name: string): typeof FeaturedArticle.objects }).selectRelated(
    'article',
  );

peer.case('ModelRefreshTests.test_refresh', async () => {
  await emptyBasic(m);
  const a = await Article.objects.create({ pub_date: new Date() });
  await Article.objects.create({ pub_date: new Date() });
  await Article.objects.filter({ pk: a.id }).update({ headline: 'new headline' });
  assert.equal(await queries(() => refreshable(a).refresh_from_db()), 1);
  assert.equal(a.headline, 'new headline');

  const origPubDate = a.pub_date!;
  const newPubDate = new Date(origPubDate.getTime() + 10 * 86_400_000);
  await Article.objects.update({ headline: 'new headline 2', pub_date: newPubDate });
  assert.equal(await queries(() => refreshable(a).refresh_from_db({ fields: ['headline'] })), 1);
  assert.equal(a.headline, 'new headline 2');
  assert.deepEqual(a.pub_date, origPubDate);
  assert.equal(await queries(() => refreshable(a).refresh_from_db()), 1);
  assert.deepEqual(a.pub_date, newPubDate);
});

peer.case('ModelRefreshTests.test_unknown_kwarg', async () => {
  await emptyBasic(m);
  const s = await SelfRef.objects.create({});
  // "refresh_from_db() got an unexpected keyword argument 'unknown_kwarg'"
  await assert.rejects(
    refreshable(s).refresh_from_db({ unknown_kwarg: 10 }),
    (err: unknown) => err instanceof Error && /unknown_kwarg/.test(err.message),
  );
});

peer.case('ModelRefreshTests.test_lookup_in_fields', async () => {
  await emptyBasic(m);
  const s = await SelfRef.objects.create({});
  // 'Found "__" in fields argument. Relations and transforms are not allowed in fields.'
  await assert.rejects(
    refreshable(s).refresh_from_db({ fields: ['foo__bar'] }),
    (err: unknown) => err instanceof Error && /__/.test(err.message) && /fields/.test(err.message),
  );
});

peer.case('ModelRefreshTests.test_refresh_fk', async () => {
  await emptyBasic(m);
  const s1 = await SelfRef.objects.create({});
  const s2 = await SelfRef.objects.create({});
  const s3 = await SelfRef.objects.create({ selfref: s1._id });
  const s3Copy = await SelfRef.objects.get({ pk: s3._id });
  s3.selfref = s2._id;
  await s3.save();
  assert.equal(await queries(() => refreshable(s3Copy).refresh_from_db()), 1);
  assert.equal(String(s3Copy.selfref), String(s2._id));
});

peer.case('ModelRefreshTests.test_refresh_null_fk', async () => {
  await emptyBasic(m);
  const s1 = await SelfRef.objects.create({});
  const s2 = await SelfRef.objects.create({ selfref: s1._id });
  s2.selfref = null;
  await refreshable(s2).refresh_from_db();
  assert.equal(String(s2.selfref), String(s1._id));
});

peer.case('ModelRefreshTests.test_refresh_unsaved', async () => {
  await emptyBasic(m);
  const pubDate = new Date();
  const a = await Article.objects.create({ pub_date: pubDate });
  const a2 = new Article({ id: a.id });
  assert.equal(await queries(() => refreshable(a2).refresh_from_db()), 1);
  assert.deepEqual(a2.pub_date, pubDate);
});

peer.case('ModelRefreshTests.test_refresh_fk_on_delete_set_null', async () => {
  await emptyBasic(m);
  const a = await Article.objects.create({
    headline: 'Parrot programs in Python',
    pub_date: new Date(Date.UTC(2005, 6, 28)),
  });
  const s1 = await SelfRef.objects.create({ article: a._id });
  await a.deleteOne();
  await refreshable(s1).refresh_from_db();
  assert.equal(s1.article ?? null, null);
});

peer.case('ModelRefreshTests.test_refresh_no_fields', async () => {
  await emptyBasic(m);
  const a = await Article.objects.create({ pub_date: new Date() });
  assert.equal(await queries(() => refreshable(a).refresh_from_db({ fields: [] })), 0);
});

peer.case('ModelRefreshTests.test_refresh_clears_one_to_one_field', async () => {
  await emptyBasic(m);
  const article = await Article.objects.create({
    headline: 'Parrot programs in Python',
    pub_date: new Date(Date.UTC(2005, 6, 28)),
  });
  const created = await FeaturedArticle.objects.create({ article: article._id });
  // Django's first `featured.article` reads the article lazily: here, loaded with it.
  const featured = await featuredWithArticle().get({ pk: created._id });
  const headline = () => (featured.article as unknown as { headline?: string }).headline;
  assert.equal(headline(), 'Parrot programs in Python');
  article.headline = 'Parrot programs in Python 2.0';
  await article.save();
  await refreshable(featured).refresh_from_db();
  assert.equal(headline(), 'Parrot programs in Python 2.0');
});

peer.case(
  'ModelRefreshTests.test_refresh_with_related',
  // The join is a $lookup; where the server lacks it, selectRelated populates (a second find()).
  { gap: 'lookup' },
  async () => {
    await emptyBasic(m);
    const a = await Article.objects.create({ pub_date: new Date() });
    const fa = await FeaturedArticle.objects.create({ article: a._id });
    const fromQueryset = featuredWithArticle() as unknown as QuerySet<never, never>;
    const pubDate = () => (fa.article as unknown as { pub_date?: Date }).pub_date;
    assert.equal(await queries(() => refreshable(fa).refresh_from_db({ from_queryset: fromQueryset })), 1);
    assert.deepEqual(pubDate(), a.pub_date);
  },
);

peer.case('ModelRefreshTests.test_refresh_overwrites_queryset_fields', async () => {
  await emptyBasic(m);
  const a = await Article.objects.create({ pub_date: new Date() });
  const headline = 'headline';
  await Article.objects.filter({ pk: a.id }).update({ headline });
  const fromQueryset = Article.objects.only('pub_date') as unknown as QuerySet<never, never>;
  assert.equal(await queries(() => refreshable(a).refresh_from_db({ from_queryset: fromQueryset })), 1);
  assert.notEqual(a.headline, headline);
  assert.equal(
    await queries(() => refreshable(a).refresh_from_db({ fields: ['headline'], from_queryset: fromQueryset })),
    1,
  );
  assert.equal(a.headline, headline);
});
