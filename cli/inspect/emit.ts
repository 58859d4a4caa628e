// The models module `inspectdb` writes, printed from the plans: Mongoose
// schemas declared as the README declares them (djongo's fields, the
// `djongo` plugin, `autoIncrement` where djongo counts), and a
// `models(conn)` function that registers them, which `djongoose check` and
// `migrate` take as --models. Pure. Every name from the database goes
// through names.ts; every remark through `comment`, so no stored name can
// become code.
import type { FieldPlan, ModelPlan, NamedField, ScalarType } from './plan.js';
import { undeclarable } from './plan.js';
import { Identifiers, propertyKey, quote } from './names.js';

/** The module's text, and the model names it gives the plans, in order. */
export interface EmittedModule {
  readonly source: string;
  readonly modelNames: readonly string[];
}

/** A collection `inspectdb` leaves out, and why. */
export interface SkippedCollection {
  readonly collection: string;
  readonly reason: string;
}

/** What the module is made from. */
export interface ModuleSource {
  readonly database: string;
  readonly models: readonly ModelPlan[];
  readonly skipped: readonly SkippedCollection[];
  /** Documents sampled per collection, at most. */
  readonly sample: number;
  /** The specifier djongoose is imported from. */
  readonly importFrom: string;
}

const SCALARS: Readonly<Record<ScalarType, string>> = {
  String: 'String',
  Number: 'Number',
  Int32: 'mongoose.Schema.Types.Int32',
  BigInt: 'BigInt',
  Decimal128: 'mongoose.Schema.Types.Decimal128',
  Boolean: 'Boolean',
  Date: 'Date',
  ObjectId: 'mongoose.Schema.Types.ObjectId',
  Buffer: 'Buffer',
  Mixed: 'mongoose.Schema.Types.Mixed',
};

// Names the module imports or declares itself; generated identifiers avoid them.
const RESERVED = ['mongoose', 'Connection', 'abstractModel', 'ArrayField', 'autoIncrement', 'djongo'];
const RESERVED_TOO = ['EmbeddedField', 'JSONField', 'models', 'model'];

/** A remark as comment text: printable ASCII only, whatever it quotes. */
function comment(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

/** Prints one model's declarations, hoisting its embedded schemas above it. */
class ModelPrinter {
  readonly declarations: string[] = [];

  constructor(
    readonly ids: Identifiers,
    readonly used: Set<string>,
  ) {}

  #embedded(fields: readonly NamedField[], owner: string, field: string): string {
    const name = this.ids.take(owner, field);
    this.used.add('abstractModel');
    this.declarations.push(`const ${name} = abstractModel({\n${this.fields(fields, name, '  ')}});`);
    return name;
  }

  expression(plan: FieldPlan, owner: string, field: string): string {
    switch (plan.kind) {
      case 'scalar':
        return SCALARS[plan.type];
      case 'scalarArray':
        if (plan.type === 'Mixed') return `[${SCALARS.Mixed}]`;
        this.used.add('ArrayField');
        return `ArrayField(${SCALARS[plan.type]})`;
      case 'embedded':
        this.used.add('EmbeddedField');
        return `EmbeddedField(${this.#embedded(plan.fields, owner, field)})`;
      case 'embeddedArray':
        this.used.add('ArrayField');
        return `ArrayField(${this.#embedded(plan.fields, owner, field)})`;
      case 'json':
        this.used.add('JSONField');
        return 'JSONField()';
    }
  }

  /** The lines of an object literal's fields, each with its remark. */
  fields(fields: readonly NamedField[], owner: string, indent: string): string {
    let out = '';
    for (const { name, plan } of fields) {
      const why = undeclarable(name);
      if (why) {
        out += `${indent}// not declared: ${quote(name)} (${comment(why)})\n`;
        continue;
      }
      const note = plan.note ? ` // ${comment(plan.note)}` : '';
      out += `${indent}${propertyKey(name)}: ${this.expression(plan, owner, name)},${note}\n`;
    }
    return out;
  }
}

function header(source: ModuleSource): string[] {
  const lines = [
    `// Models of the database ${quote(source.database)}, written by \`djongoose inspectdb\`.`,
    "// Types come from djongo's __schema__ where it has them, else from a sample of",
    `// at most ${source.sample} documents per collection. Review them before use.`,
  ];
  for (const skip of source.skipped) lines.push(`// Not a model: ${quote(skip.collection)} (${comment(skip.reason)}).`);
  return lines;
}

/** The plugins line of one model; the plan gives an auto field only when autoIncrement can number it. */
function plugins(schema: string, model: ModelPlan, used: Set<string>): string[] {
  used.add('djongo');
  const field = model.autoField;
  if (field === undefined) return [`${schema}.plugin(djongo);`];
  used.add('autoIncrement');
  const options = field === 'id' ? '' : `, { field: ${quote(field)} }`;
  return [`${schema}.plugin(djongo).plugin(autoIncrement${options});`];
}

/**
 * The TypeScript models module for the plans: a schema per collection and a
 * `models(conn)` function registering them under their collections.
 *
 * @example
 * ```ts
 * emitModule({ database: 'blog', models: [planModel('blog_entry', entry, level)], skipped: [], sample: 100, importFrom: 'djongoose' });
 * // { source: "// Models of the database \"blog\", …\nimport mongoose, { type Connection } from 'mongoose';\n…", modelNames: ['BlogEntry'] }
 * ```
 */
export function emitModule(source: ModuleSource): EmittedModule {
  const ids = new Identifiers([...RESERVED, ...RESERVED_TOO]);
  const used = new Set<string>();
  const body: string[] = [];
  const registrations: string[] = [];
  const modelNames: string[] = [];
  for (const model of source.models) {
    const modelName = ids.take(model.collection);
    modelNames.push(modelName);
    const schema = ids.take(modelName, 'schema');
    const printer = new ModelPrinter(ids, used);
    const id = model.id
      ? `  _id: ${printer.expression(model.id, modelName, '_id')},${model.id.note ? ` // ${comment(model.id.note)}` : ''}\n`
      : '';
    const fields = printer.fields(model.fields, modelName, '  ');
    const origin = model.typed ? "djongo's __schema__ types" : 'no __schema__ types';
    body.push(
      '',
      `// ${quote(model.collection)}: ${origin}, ${model.sampled} document(s) sampled.`,
      ...model.notes.map((note) => `// ${comment(note)}`),
      ...printer.declarations,
      `export const ${schema} = new mongoose.Schema({\n${id}${fields}});`,
      ...plugins(schema, model, used),
    );
    registrations.push(`    ${modelName}: model(${quote(modelName)}, ${schema}, ${quote(model.collection)}),`);
  }
  const imports = ['abstractModel', 'ArrayField', 'autoIncrement', 'djongo', 'EmbeddedField', 'JSONField'].filter(
    (name) => used.has(name),
  );
  const text = [
    ...header(source),
    "import mongoose, { type Connection } from 'mongoose';",
    ...(imports.length > 0 ? [`import { ${imports.join(', ')} } from ${quote(source.importFrom)};`] : []),
    ...body,
    '',
    '/** Registers the models on `conn` and returns them (what `djongoose check --models` takes). */',
    'export function models(conn: Connection) {',
    '  const model = (name: string, schema: mongoose.Schema, collection: string) =>',
    '    conn.models[name] ?? conn.model(name, schema, collection);',
    '  return {',
    ...registrations,
    '  };',
    '}',
    '',
  ].join('\n');
  return { source: text, modelNames };
}
