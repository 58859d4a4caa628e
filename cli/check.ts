// Schema drift over the stored documents: per model, the fields documents
// lack, the fields they have that the schema does not declare, and values of
// the wrong stored type, with counts and sample _ids. Streams each collection
// through a cursor, so memory stays flat however large it is; only counts and
// a few sample ids are kept. (An aggregation would move the work to the
// server, but the emulators lack the operators it needs: mongo-java-server
// 1.47 has no `$type` expression, FerretDB v1 no `$cond` nor more than one
// accumulator per `$group`; and the server would still read every document.)
// Documents are read as strict ENFORCE_SCHEMA reads them: each with its
// discriminator's schema, and the same known keys (core/schema-shape.ts).
// The cursor hands over BSON bytes: a document that fits is judged on them
// (cli/check-bytes.ts); only the others are deserialized and inspected.
import mongoose, { type Connection, type Model, type Schema, type mongo } from 'mongoose';
import { shapeOf } from '../core/schema-shape.js';
import { bytesFit } from './check-bytes.js';
import { inspectDocument } from './drift.js';
import { collectionNames, databaseOf, modelList, type CommandModel, type CommandModels } from './models.js';

/** Documents that share one problem with one field. */
export interface FieldDrift {
  /** Dotted path, e.g. `blog.name`. */
  readonly field: string;
  /** How many documents have the problem. */
  readonly count: number;
  /** The first few of their `_id`s. */
  readonly sampleIds: readonly unknown[];
}

/** Documents whose value for a field has the wrong stored type. */
export interface WrongTypeDrift extends FieldDrift {
  /** The declared type, e.g. `number`. */
  readonly expected: string;
  /** The stored types found, with how many documents had each. */
  readonly found: Readonly<Record<string, number>>;
}

/** The drift of one model's collection. */
export interface ModelDrift {
  readonly model: string;
  readonly collection: string;
  /** False when the collection does not exist (`migrate` creates it); that is drift too. */
  readonly exists: boolean;
  /** Documents read. */
  readonly scanned: number;
  /** Documents with at least one problem. */
  readonly drifted: number;
  readonly missing: readonly FieldDrift[];
  readonly unknown: readonly FieldDrift[];
  readonly wrongType: readonly WrongTypeDrift[];
}

/** What {@link check} found. */
export interface CheckReport {
  /** True when any model drifts. */
  readonly drift: boolean;
  readonly models: readonly ModelDrift[];
}

/** Progress of {@link check}, reported after every batch. */
export interface CheckProgress {
  readonly model: string;
  readonly scanned: number;
  /** The collection's estimated size. */
  readonly total: number;
}

/** Options for {@link check}. */
export interface CheckOptions {
  /** Documents per cursor batch; default 1000. */
  readonly batchSize?: number;
  /** Sample `_id`s kept per problem; default 5. */
  readonly sampleSize?: number;
  /** Called as documents are read, for a progress bar. */
  readonly onProgress?: (progress: CheckProgress) => void;
}

interface Tally {
  count: number;
  readonly sampleIds: unknown[];
  readonly found: Map<string, number>;
  expected: string;
}

class Tallies {
  readonly #byField = new Map<string, Tally>();
  constructor(readonly sampleSize: number) {}

  add(field: string, id: unknown, expected = '', found?: string): void {
    let tally = this.#byField.get(field);
    if (!tally) this.#byField.set(field, (tally = { count: 0, sampleIds: [], found: new Map(), expected }));
    tally.count++;
    if (tally.sampleIds.length < this.sampleSize) tally.sampleIds.push(id);
    if (found !== undefined) tally.found.set(found, (tally.found.get(found) ?? 0) + 1);
  }

  fields(): FieldDrift[] {
    return [...this.#byField.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([field, t]) => ({ field, count: t.count, sampleIds: t.sampleIds }));
  }

  wrongTypes(): WrongTypeDrift[] {
    return this.fields().map((drift) => {
      const tally = this.#byField.get(drift.field) as Tally;
      return { ...drift, expected: tally.expected, found: Object.fromEntries(tally.found) };
    });
  }
}

/**
 * The schema a stored document is compared with: the discriminator's whose
 * value its discriminator key holds, as Mongoose hydrates a base model's
 * documents, else the model's own.
 */
function schemaFor(model: CommandModel, doc: Readonly<Record<string, unknown>>): Schema {
  const key = shapeOf(model.schema).discriminatorKey;
  const value = key === undefined ? undefined : doc[key];
  const discriminators = (model as Partial<Pick<Model<unknown>, 'discriminators'>>).discriminators;
  if (value === undefined || value === null || !discriminators) return model.schema;
  for (const child of Object.values(discriminators)) {
    const stored = shapeOf(child.schema).discriminatorValue;
    if (stored !== undefined && stored !== null && String(stored) === String(value)) return child.schema;
  }
  return model.schema;
}

/**
 * How the driver would have deserialized the documents of `collection`, and
 * whether that is its default, the one cli/check-bytes.ts reads bytes as.
 */
function deserializing(collection: mongo.Collection): { options: mongo.BSON.DeserializeOptions; standard: boolean } {
  const o = collection.bsonOptions as mongo.BSONSerializeOptions & { enableUtf8Validation?: boolean };
  const standard =
    o.promoteValues !== false &&
    o.promoteLongs !== false &&
    o.promoteBuffers !== true &&
    o.bsonRegExp !== true &&
    o.useBigInt64 !== true &&
    Object.keys(o.fieldsAsRaw ?? {}).length === 0;
  return { options: { ...o, raw: false, validation: { utf8: o.enableUtf8Validation !== false } }, standard };
}

/** Whether every document of the model is compared with its own schema (no discriminators to pick from). */
function oneSchema(model: CommandModel): boolean {
  const discriminators = (model as Partial<Pick<Model<unknown>, 'discriminators'>>).discriminators;
  return !discriminators || Object.keys(discriminators).length === 0;
}

/** A discriminator model's documents are those holding its value, as its own queries select them. */
function documentsOf(model: CommandModel): Record<string, unknown> {
  const shape = shapeOf(model.schema);
  const value = shape.discriminatorValue;
  return shape.discriminatorKey === undefined || value === undefined ? {} : { [shape.discriminatorKey]: value };
}

/**
 * Reports schema drift over the stored documents of each model: fields
 * missing from documents, fields the schema does not declare, and values of
 * the wrong stored type, each with a document count and sample `_id`s.
 * Reads through a cursor in batches, so a collection of millions of documents
 * is never held in memory. Writes nothing.
 *
 * @example
 * ```ts
 * import { check } from 'djongoose/cli';
 * const report = await check(conn, { Entry }, { onProgress: ({ scanned, total }) => console.log(`${scanned}/${total}`) });
 * report.drift; // true
 * report.models[0]?.missing; // [{ field: 'headline', count: 2, sampleIds: [ObjectId('…'), ObjectId('…')] }]
 * ```
 */
export async function check(conn: Connection, models: CommandModels, options: CheckOptions = {}): Promise<CheckReport> {
  const db = databaseOf(conn);
  const batchSize = options.batchSize ?? 1000;
  const sampleSize = options.sampleSize ?? 5;
  const existing = await collectionNames(db);
  const results: ModelDrift[] = [];

  for (const model of modelList(models)) {
    const name = model.collection.collectionName;
    const missing = new Tallies(sampleSize);
    const unknown = new Tallies(sampleSize);
    const wrongType = new Tallies(sampleSize);
    let scanned = 0;
    let drifted = 0;
    if (existing.has(name)) {
      const collection = db.collection(name);
      const total = await collection.estimatedDocumentCount();
      options.onProgress?.({ model: model.modelName, scanned, total });
      const bson = deserializing(collection);
      const level = bson.standard && oneSchema(model) ? shapeOf(model.schema) : undefined;
      // `raw`: each document arrives as its BSON bytes (the driver's documented option).
      for await (const bytes of collection.find(documentsOf(model), { batchSize, raw: true })) {
        const raw = bytes as unknown as Uint8Array;
        scanned++;
        if (level && bytesFit(level, raw)) {
          if (scanned % batchSize === 0) options.onProgress?.({ model: model.modelName, scanned, total });
          continue;
        }
        const doc = mongoose.mongo.BSON.deserialize(raw, bson.options);
        const found = inspectDocument(schemaFor(model, doc), doc);
        // Counts are of documents: a field missing from three embedded comments counts once.
        for (const field of new Set(found.missing)) missing.add(field, doc._id);
        for (const field of new Set(found.unknown)) unknown.add(field, doc._id);
        const seen = new Set<string>();
        for (const w of found.wrongType) {
          if (seen.has(w.path)) continue;
          seen.add(w.path);
          wrongType.add(w.path, doc._id, w.expected, w.found);
        }
        if (found.missing.length + found.unknown.length + found.wrongType.length > 0) drifted++;
        if (scanned % batchSize === 0) options.onProgress?.({ model: model.modelName, scanned, total });
      }
      options.onProgress?.({ model: model.modelName, scanned, total: Math.max(total, scanned) });
    }
    results.push({
      model: model.modelName,
      collection: name,
      exists: existing.has(name),
      scanned,
      drifted,
      missing: missing.fields(),
      unknown: unknown.fields(),
      wrongType: wrongType.wrongTypes(),
    });
  }
  return { drift: results.some((r) => !r.exists || r.drifted > 0), models: results };
}
