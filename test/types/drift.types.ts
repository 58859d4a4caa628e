// Type tests for the typing gaps the JSDoc @example check found (issue 11 §5,
// §6): each fix shown accepting what the example does, and still refusing what
// it must. Each @ts-expect-error must fail to compile.
import mongoose, { type Connection } from 'mongoose';
import { adopt, check, migrate, syncCounters, type CommandModel } from '../../cli/api.js';
import { entryModel, type EntryRaw } from '../helpers/models.js';

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
