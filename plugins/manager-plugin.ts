// The manager plugin: gives a model `Model.objects` (or another name), a
// DjongoManager bound to that very model, also for models made by
// connection.model(), useDb() and discriminators.
import type { Model, Schema, mongo } from 'mongoose';
import type { MongoPassthrough } from '../manager/passthrough.js';
import { DoesNotExist, MultipleObjectsReturned } from '../core/errors.js';
import { DjongoManager } from '../manager/manager.js';
import { checkSameMongoose } from '../core/one-mongoose.js';
import { fSave } from './f-save.js';
import { reduceReferencesToField } from '../manager/to-field.js';
import { onDelete } from './on-delete.js';
import { saveInsertsDeleted } from './save-insert.js';
import { dateFieldMethods, documentMethods } from '../manager/document-methods.js';
import { dateFields, rememberDefaultManager } from '../manager/next-by.js';

/**
 * A manager class: DjongoManager or a subclass of it, whatever its document
 * type (a DjongoManager<Entry> is no DjongoManager<never>: its model's type is
 * invariant). Asking for getQueryset still refuses a class that is no manager.
 */
export type ManagerClass = new (model: never) => { getQueryset(): object };

/**
 * The type of a model with a manager, for `conn.model<Entry, Managed<Entry>>(…)`.
 * A custom manager's name and class are the second and third parameters; a
 * model with several managers is the intersection of one Managed for each.
 *
 * @example
 * ```ts
 * const Entry = conn.model<EntryRaw, Managed<EntryRaw>>('Entry', entrySchema);
 * const entries = await Entry.objects.filter({ headline__startswith: 'Hey' });
 * type WithPublished = Managed<EntryRaw> & Managed<EntryRaw, 'published', PublishedManager>;
 * ```
 */
export type Managed<
  TRaw,
  Name extends string = 'objects',
  M extends DjongoManager<TRaw> = DjongoManager<TRaw>,
> = Model<TRaw> &
  Record<Name, M & MongoPassthrough<mongo.Document & TRaw>> & {
    DoesNotExist: typeof DoesNotExist;
    MultipleObjectsReturned: typeof MultipleObjectsReturned;
  };

/** Options of the {@link manager} plugin. */
export interface ManagerPluginOptions {
  /** The attribute on the model; default `objects`. */
  name?: string;
  /** A DjongoManager subclass, for custom managers. */
  manager?: ManagerClass;
}

// One manager per (model, attribute), made on first use.
const managers = new WeakMap<object, Map<string, object>>();

function managerFor(model: Model<never>, name: string, Manager: ManagerClass): object {
  let byName = managers.get(model);
  if (!byName) managers.set(model, (byName = new Map()));
  let found = byName.get(name);
  if (!found) byName.set(name, (found = new Manager(model as never)));
  return found;
}

function install(model: Model<never>, name: string, Manager: ManagerClass): void {
  // A getter, so a model that inherits it (useDb) gets a manager bound to itself.
  Object.defineProperty(model, name, {
    configurable: true,
    enumerable: false,
    get(this: Model<never>) {
      return managerFor(this, name, Manager);
    },
  });
  Object.defineProperty(model, 'DoesNotExist', { configurable: true, value: DoesNotExist });
  Object.defineProperty(model, 'MultipleObjectsReturned', { configurable: true, value: MultipleObjectsReturned });

  // Discriminators are compiled from a merged schema that does not carry the
  // base's 'init' listener, so they get the base's managers here, unless the
  // discriminator's own schema installed one under that name while it was
  // compiled: that one wins, as a subclass's own manager does in MongoEngine.
  const own = Object.getOwnPropertyDescriptor(model, 'discriminator');
  const discriminator = model.discriminator;
  if (own?.value && (own.value as { djongoose?: boolean }).djongoose) return;
  const wrapped = function discriminatorWithManagers(this: Model<never>, ...args: Parameters<typeof discriminator>) {
    const child = discriminator.apply(this, args) as unknown as Model<never>;
    if (!Object.hasOwn(child, name)) install(child, name, Manager);
    return child;
  };
  Object.assign(wrapped, { djongoose: true });
  Object.defineProperty(model, 'discriminator', { configurable: true, writable: true, value: wrapped });
}

/**
 * Gives the model a Django-style manager: `Model.objects`.
 *
 * @example
 * ```ts
 * import { manager } from 'djongoose/plugins';
 * entrySchema.plugin(manager);                                            // Entry.objects
 * entrySchema.plugin(manager, { name: 'published', manager: PublishedManager }); // Entry.published
 * // The plugin cannot change the model's static type: name the managers there.
 * type EntryModel = Managed<EntryRaw> & Managed<EntryRaw, 'published', PublishedManager>;
 * const Entry = conn.model<EntryRaw, EntryModel>('Entry', entrySchema);
 * await Entry.objects.filter({ blog__name__startswith: 'Beatles' }).orderBy('-headline');
 * ```
 */
export function manager(schema: Schema, options: ManagerPluginOptions = {}): void {
  checkSameMongoose(schema, 'manager');
  const name = options.name ?? 'objects';
  const Manager = options.manager ?? (DjongoManager as unknown as ManagerClass);
  // Django's `obj.n = F('n') + 1; obj.save()`, on every managed model.
  fSave(schema);
  // Django's to_field: a document given for such a reference is stored as that field.
  reduceReferencesToField(schema);
  // Django's on_delete, for references to this model's documents deleted one by one.
  onDelete(schema);
  // Django's save() of a document deleted meanwhile inserts it again.
  saveInsertsDeleted(schema);
  rememberDefaultManager(schema, name);
  // Django's instance methods (refresh_from_db, get_next_by_<date field>, …),
  // unless the schema has its own of that name.
  for (const [method, fn] of Object.entries({ ...documentMethods, ...dateFieldMethods(dateFields(schema)) })) {
    if (!(method in schema.methods)) schema.method(method, fn as never);
  }
  schema.on('init', function installManager(model: Model<never>) {
    install(model, name, Manager);
  });
}
