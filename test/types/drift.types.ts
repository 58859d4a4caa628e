// Type tests for the typing gaps the JSDoc @example check found (issue 11 §5,
// §6): each fix shown accepting what the example does, and still refusing what
// it must. Each @ts-expect-error must fail to compile.
import mongoose, { type Connection } from 'mongoose';
import { adopt, check, migrate, syncCounters, type CommandModel } from '../../cli/api.js';
import { DjongoManager, manager, type Managed } from '../../index.js';
import { entryModel, entrySchema, type EntryRaw } from '../helpers/models.js';

export async function commandModels(conn: Connection) {
  // Typed models, with or without a manager, are command models.
  const Entry = entryModel(conn);
  const Plain = conn.model<EntryRaw>('Plain', new mongoose.Schema<EntryRaw>({ headline: String }));
  const Untyped = conn.model('Untyped', new mongoose.Schema({ name: String }));
  const models: CommandModel[] = [Entry, Plain, Untyped];
  await check(conn, { Entry, Plain });
  await adopt(conn, [Entry], { dryRun: true });
  await migrate(conn, models);
  await syncCounters(conn, { Entry });

  // @ts-expect-error a schema is not a model
  await check(conn, [Entry.schema]);
  // @ts-expect-error a model's name alone is not a model
  await migrate(conn, [{ modelName: 'Entry' }]);
  // @ts-expect-error a manager is not a model
  await adopt(conn, { Entry: Entry.objects });
  // @ts-expect-error the connection comes first
  await check({ Entry }, conn);
}

// A custom manager: its name and class are on the model's type through
// Managed's second and third parameters, one Managed per manager.
class HighlyRated extends DjongoManager<EntryRaw> {
  override getQueryset() {
    return super.getQueryset().filter({ rating__gte: 4 });
  }
  best() {
    return this.getQueryset().orderBy('-rating').first();
  }
}

export async function customManagers(conn: Connection) {
  const schema = entrySchema();
  schema.plugin(manager, { name: 'rated', manager: HighlyRated });
  const Rated = conn.model<EntryRaw, Managed<EntryRaw> & Managed<EntryRaw, 'rated', HighlyRated>>('Rated', schema);
  const best: EntryRaw | null | undefined = await Rated.rated.best();
  await Rated.rated.filter({ headline__startswith: 'Hey' }).count();
  await Rated.objects.count();
  await Rated.rated.mongo_find({ rating: 5 });
  // @ts-expect-error no manager named "rate"
  await Rated.rate.best();
  // @ts-expect-error the default manager has no best()
  await Rated.objects.best();
  // @ts-expect-error the custom manager still checks field names
  Rated.rated.filter({ headlin: 'x' });

  const Only = conn.model<EntryRaw, Managed<EntryRaw, 'rated', HighlyRated>>('Only', schema);
  await Only.rated.best();
  // @ts-expect-error only the named manager: no objects
  await Only.objects.count();
  // @ts-expect-error the manager class must be a DjongoManager of the model's documents
  type NotAManager = Managed<EntryRaw, 'rated', Date>;
  // @ts-expect-error the plugin takes a manager class, not any class
  schema.plugin(manager, { name: 'dated', manager: Date });
  return [best, null as unknown as NotAManager];
}
