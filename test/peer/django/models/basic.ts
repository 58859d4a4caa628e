// Django's tests/basic/models.py as Mongoose schemas with djongoose's
// plugins. Article's AutoField is djongo's: the autoIncrement plugin's
// integer `id`, which `pk` then names. Foreign keys are ObjectId references
// (`ref`); Meta.ordering is a manager whose getQueryset() orders.
import { randomUUID } from 'node:crypto';
import mongoose, { type Connection, type Types } from 'mongoose';
import { DjongoManager, autoIncrement, manager, type Managed } from '../../../../index.js';
import { ready } from '../../../helpers/server.js';

const { ObjectId } = mongoose.Schema.Types;

export interface ArticleRaw {
  id?: number;
  headline?: string;
  pub_date?: Date;
}
export interface FeaturedArticleRaw {
  article: Types.ObjectId;
}
export interface SelfRefRaw {
  selfref?: Types.ObjectId | null;
  article?: Types.ObjectId | null;
  article_cited?: Types.ObjectId | null;
}
export interface PrimaryKeyWithDefaultRaw {
  _id: string;
}

// Meta.ordering = ('pub_date', 'headline')
export class ArticleManager extends DjongoManager<ArticleRaw> {
  override getQueryset() {
    return super.getQueryset().orderBy('pub_date', 'headline');
  }
}

/** Every model of the module, ready on `conn`. */
export async function basicModels(conn: Connection) {
  const articleSchema = new mongoose.Schema<ArticleRaw>({
    headline: { type: String, maxlength: 100, default: 'Default headline' },
    pub_date: { type: Date, required: true },
  });
  articleSchema.plugin(autoIncrement);
  articleSchema.plugin(manager, { manager: ArticleManager });
  const Article = conn.model<ArticleRaw, Managed<ArticleRaw, 'objects', ArticleManager>>('Article', articleSchema);

  // OneToOneField(Article, models.CASCADE, related_name='featured'): a unique reference.
  const featuredSchema = new mongoose.Schema<FeaturedArticleRaw>({
    article: { type: ObjectId, ref: 'Article', required: true, unique: true, onDelete: 'CASCADE' },
  });
  featuredSchema.plugin(manager);
  const FeaturedArticle = conn.model<FeaturedArticleRaw, Managed<FeaturedArticleRaw>>(
    'FeaturedArticle',
    featuredSchema,
  );

  // ForeignKey(…, models.SET_NULL, null=True) each.
  const selfRefSchema = new mongoose.Schema<SelfRefRaw>({
    selfref: { type: ObjectId, ref: 'SelfRef', onDelete: 'SET_NULL' },
    article: { type: ObjectId, ref: 'Article', onDelete: 'SET_NULL' },
    article_cited: { type: ObjectId, ref: 'Article', onDelete: 'SET_NULL' },
  });
  selfRefSchema.plugin(manager);
  const SelfRef = conn.model<SelfRefRaw, Managed<SelfRefRaw>>('SelfRef', selfRefSchema);

  // UUIDField(primary_key=True, default=uuid.uuid4)
  const uuidSchema = new mongoose.Schema<PrimaryKeyWithDefaultRaw>({
    _id: { type: String, default: () => randomUUID() },
  });
  uuidSchema.plugin(manager);
  const PrimaryKeyWithDefault = conn.model<PrimaryKeyWithDefaultRaw, Managed<PrimaryKeyWithDefaultRaw>>(
    'PrimaryKeyWithDefault',
    uuidSchema,
  );

  for (const m of [Article, FeaturedArticle, SelfRef, PrimaryKeyWithDefault] as unknown as mongoose.Model<never>[]) {
    await ready(m);
  }
  return { Article, FeaturedArticle, SelfRef, PrimaryKeyWithDefault };
}

export type BasicModels = Awaited<ReturnType<typeof basicModels>>;

/** Empty collections, as Django's per-test transaction leaves them. */
export async function emptyBasic(m: BasicModels): Promise<void> {
  await Promise.all(Object.values(m).map((x) => (x as unknown as mongoose.Model<never>).deleteMany({})));
}
