// Django's tests/get_or_create/models.py as Mongoose schemas with the manager
// plugin. Django's NOT NULL columns are `required`; its integer AutoField is
// djongoose's autoIncrement `id`, so `pk=1` means what it means in Django.
// Publisher, Author, Journalist and Book serve only the related-manager and
// multi-table cases, which are not ported (see test/peer/README.md), except
// Journalist: Django's multi-table child is a Mongoose discriminator here.
import mongoose, { type Connection } from 'mongoose';
import { manager, type Managed } from '../../../../index.js';
import { autoIncrement } from '../../../../plugins/auto-increment/index.js';

export interface PersonRaw {
  first_name: string;
  last_name: string;
  birthday: Date;
  defaults: string;
  create_defaults: string;
}

export interface DefaultPersonRaw {
  first_name: string;
}

export interface ManualPrimaryKeyTestRaw {
  _id: number;
  data?: string;
}

export interface TagRaw {
  id: number;
  text: string;
}

export interface ThingRaw {
  id: number;
  name: string;
  tags: mongoose.Types.ObjectId[];
}

export interface AuthorRaw {
  name: string;
}

export interface JournalistRaw extends AuthorRaw {
  specialty: string;
}

/** Every model of the module, on `conn`. */
export function getOrCreateModels(conn: Connection) {
  const person = new mongoose.Schema<PersonRaw>({
    first_name: { type: String, required: true, maxlength: 100, unique: true },
    last_name: { type: String, required: true, maxlength: 100 },
    birthday: { type: Date, required: true },
    // Django's TextField without a default stores '' when left out.
    defaults: { type: String, default: '' },
    create_defaults: { type: String, default: '' },
  });
  person.plugin(manager);

  const defaultPerson = new mongoose.Schema<DefaultPersonRaw>({
    first_name: { type: String, maxlength: 100, default: 'Anonymous' },
  });
  defaultPerson.plugin(manager);

  const manualPk = new mongoose.Schema<ManualPrimaryKeyTestRaw>({
    _id: Number,
    data: { type: String, maxlength: 100 },
  });
  manualPk.plugin(manager);

  const tag = new mongoose.Schema<TagRaw>({ text: { type: String, maxlength: 255, unique: true } });
  tag.plugin(manager);
  tag.plugin(autoIncrement);

  const thing = new mongoose.Schema<ThingRaw>({
    name: { type: String, maxlength: 255 },
    tags: [{ type: mongoose.Schema.Types.ObjectId, ref: 'GetOrCreateTag' }],
  });
  // Django's property with a setter, and one without.
  thing
    .virtual('capitalized_name_property')
    .get(function (this: { name?: string }) {
      return this.name;
    })
    .set(function (this: { name?: string }, value: string) {
      this.name = value.charAt(0).toUpperCase() + value.slice(1).toLowerCase();
    });
  thing.virtual('name_in_all_caps').get(function (this: { name?: string }) {
    return this.name?.toUpperCase();
  });
  thing.plugin(manager);
  thing.plugin(autoIncrement);

  const author = new mongoose.Schema<AuthorRaw>({ name: { type: String, maxlength: 100 } });
  author.plugin(manager);

  const Author = conn.model<AuthorRaw, Managed<AuthorRaw>>('GetOrCreateAuthor', author);
  // A discriminator shares its base's statics, so `objects` too.
  const Journalist = Author.discriminator(
    'GetOrCreateJournalist',
    new mongoose.Schema<JournalistRaw>({ specialty: { type: String, maxlength: 100 } }),
  ) as unknown as Managed<JournalistRaw>;
  return {
    Person: conn.model<PersonRaw, Managed<PersonRaw>>('GetOrCreatePerson', person),
    DefaultPerson: conn.model<DefaultPersonRaw, Managed<DefaultPersonRaw>>('GetOrCreateDefaultPerson', defaultPerson),
    ManualPrimaryKeyTest: conn.model<ManualPrimaryKeyTestRaw, Managed<ManualPrimaryKeyTestRaw>>(
      'GetOrCreateManualPrimaryKeyTest',
      manualPk,
    ),
    Tag: conn.model<TagRaw, Managed<TagRaw>>('GetOrCreateTag', tag),
    Thing: conn.model<ThingRaw, Managed<ThingRaw>>('GetOrCreateThing', thing),
    Author,
    Journalist,
  };
}
