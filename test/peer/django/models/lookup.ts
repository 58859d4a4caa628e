// Django's tests/lookup/models.py as Mongoose schemas with djongoose's
// manager. Foreign keys are ObjectId references (`ref`); a many-to-many
// field is an array of them on the side that declares it. Django's
// Meta.ordering is a manager whose getQueryset() orders, which is how
// djongoose changes what every query of a model starts from.
import mongoose, { type Connection, type Types } from 'mongoose';
import { DjongoManager, manager, type Managed } from '../../../../index.js';
import { ready } from '../../../helpers/server.js';

const { ObjectId } = mongoose.Schema.Types;

export interface AlarmRaw {
  desc?: string;
  /** A TimeField: BSON has no time of day, so a date on 1970-01-01 (UTC). */
  time?: Date;
}
export interface AuthorRaw {
  name?: string;
  alias?: string | null;
  bio?: string | null;
}
export interface ArticleRaw {
  headline?: string;
  pub_date?: Date;
  author?: Types.ObjectId | null;
  slug?: string | null;
}
export interface TagRaw {
  name?: string;
  articles?: Types.ObjectId[];
}
export interface SeasonRaw {
  year: number;
  gt?: number | null;
  nulled_text_field?: string | null;
}
export interface GameRaw {
  season: Types.ObjectId;
  home?: string;
  away?: string;
}
export interface PlayerRaw {
  name?: string;
  games?: Types.ObjectId[];
}
export interface ProductRaw {
  name?: string;
  qty_target?: number;
}
export interface StockRaw {
  product: Types.ObjectId;
  short?: boolean;
  qty_available?: number;
}

// Meta.ordering = ('name',)
class AuthorManager extends DjongoManager<AuthorRaw> {
  override getQueryset() {
    return super.getQueryset().orderBy('name');
  }
}
// Meta.ordering = ('-pub_date', 'headline')
class ArticleManager extends DjongoManager<ArticleRaw> {
  override getQueryset() {
    return super.getQueryset().orderBy('-pub_date', 'headline');
  }
}
class TagManager extends DjongoManager<TagRaw> {
  override getQueryset() {
    return super.getQueryset().orderBy('name');
  }
}

function model<T>(conn: Connection, name: string, definition: mongoose.SchemaDefinition, Manager?: unknown) {
  const schema = new mongoose.Schema<T>(definition);
  schema.plugin(manager, Manager ? { manager: Manager as typeof DjongoManager } : {});
  return conn.model<T, Managed<T>>(name, schema);
}

/** Every model of the module, ready on `conn` (collections and indexes made). */
export async function lookupModels(conn: Connection) {
  const Alarm = model<AlarmRaw>(conn, 'Alarm', { desc: { type: String, maxlength: 100 }, time: Date });
  const Author = model<AuthorRaw>(
    conn,
    'Author',
    { name: { type: String, maxlength: 100 }, alias: { type: String, maxlength: 50 }, bio: String },
    AuthorManager,
  ) as unknown as Managed<AuthorRaw, 'objects', AuthorManager>;
  const Article = model<ArticleRaw>(
    conn,
    'Article',
    {
      headline: { type: String, maxlength: 100 },
      pub_date: Date,
      author: { type: ObjectId, ref: 'Author' },
      // SlugField(unique=True, null=True): unique among the documents that have one.
      slug: { type: String, unique: true, sparse: true },
    },
    ArticleManager,
  ) as unknown as Managed<ArticleRaw, 'objects', ArticleManager>;
  const Tag = model<TagRaw>(
    conn,
    'Tag',
    { name: { type: String, maxlength: 100 }, articles: [{ type: ObjectId, ref: 'Article' }] },
    TagManager,
  ) as unknown as Managed<TagRaw, 'objects', TagManager>;
  const Season = model<SeasonRaw>(conn, 'Season', {
    // UniqueConstraint(fields=['year'])
    year: { type: Number, required: true, min: 0, unique: true },
    gt: Number,
    // NulledTextField: get_prep_value('') is None.
    nulled_text_field: { type: String, set: (v: unknown) => (v === '' ? null : v) },
  });
  const Game = model<GameRaw>(conn, 'Game', {
    season: { type: ObjectId, ref: 'Season', required: true },
    home: String,
    away: String,
  });
  const Player = model<PlayerRaw>(conn, 'Player', { name: String, games: [{ type: ObjectId, ref: 'Game' }] });
  const Product = model<ProductRaw>(conn, 'Product', { name: String, qty_target: Number });
  const Stock = model<StockRaw>(conn, 'Stock', {
    product: { type: ObjectId, ref: 'Product', required: true },
    short: { type: Boolean, default: false },
    qty_available: Number,
  });
  for (const m of [
    Alarm,
    Author,
    Article,
    Tag,
    Season,
    Game,
    Player,
    Product,
    Stock,
  ] as unknown as mongoose.Model<never>[]) {
    await ready(m);
  }
  return { Alarm, Author, Article, Tag, Season, Game, Player, Product, Stock };
}

export type LookupModels = Awaited<ReturnType<typeof lookupModels>>;

const at = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(Date.UTC(y, mo - 1, d, h, mi));

/**
 * LookupTests.setUpTestData: two authors, seven articles, three tags, on
 * empty collections (Django runs each test in a rolled-back transaction).
 */
export async function lookupFixtures(m: LookupModels) {
  await Promise.all(Object.values(m).map((x) => (x as unknown as mongoose.Model<never>).deleteMany({})));
  const au1 = await m.Author.objects.create({ name: 'Author 1', alias: 'a1', bio: 'x'.repeat(4001) });
  const au2 = await m.Author.objects.create({ name: 'Author 2', alias: 'a2' });
  const article = (n: number, pub_date: Date, author: typeof au1) =>
    m.Article.objects.create({ headline: `Article ${n}`, pub_date, author: author._id, slug: `a${n}` });
  const a1 = await article(1, at(2005, 7, 26), au1);
  const a2 = await article(2, at(2005, 7, 27), au1);
  const a3 = await article(3, at(2005, 7, 27), au1);
  const a4 = await article(4, at(2005, 7, 28), au1);
  const a5 = await article(5, at(2005, 8, 1, 9), au2);
  const a6 = await article(6, at(2005, 8, 1, 8), au2);
  const a7 = await article(7, at(2005, 7, 27), au2);
  const t1 = await m.Tag.objects.create({ name: 'Tag 1', articles: [a1._id, a2._id, a3._id] });
  const t2 = await m.Tag.objects.create({ name: 'Tag 2', articles: [a3._id, a4._id, a5._id] });
  const t3 = await m.Tag.objects.create({ name: 'Tag 3', articles: [a5._id, a6._id, a7._id] });
  return { au1, au2, a1, a2, a3, a4, a5, a6, a7, t1, t2, t3 };
}

export { at };
