// The adapter's record: AdminJS's BaseRecord, except that an uploaded file
// never becomes part of its params. AdminJS keeps what the form posted in
// the record's params and sends them back to the browser when the write is
// refused; for an upload that is the parser's object, whose `path` is the
// server's temporary file. So uploads go to the resource's write as they
// came, and the params keep only what the database holds and the form's
// other fields.
import { BaseRecord, ValidationError, type ActionContext, type BaseResource, type ParamsType } from 'adminjs';
import { isPlainObject } from '../core/values.js';
import { uploadsAt } from './uploads.js';

function under(path: string, uploads: ReadonlySet<string>): boolean {
  for (const upload of uploads) if (path === upload || path.startsWith(`${upload}.`)) return true;
  return false;
}

function prune(value: unknown, prefix: string, uploads: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) {
    return value.flatMap((item, i) =>
      under(`${prefix}.${i}`, uploads) ? [] : [prune(item, `${prefix}.${i}`, uploads)],
    );
  }
  if (!isPlainObject(value)) return value;
  const out: ParamsType = {};
  for (const [key, item] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (!under(path, uploads)) out[key] = prune(item, path, uploads);
  }
  return out;
}

/**
 * The params without their uploads, at any depth, nor what was made of them:
 * AdminJS's param converter reads a `blog.logo` file through its parent
 * `blog`, which copies the file's own fields (its temporary `path` among
 * them) into a plain object under `blog`.
 *
 * @example
 * ```ts
 * withoutUploads({ name: 'Ann', avatar: req.files.avatar }); // { name: 'Ann' }
 * withoutUploads({ 'blog.logo': file, blog: { name: 'B', logo: { path: '/tmp/…' } } }); // { blog: { name: 'B' } }
 * ```
 */
export function withoutUploads(params: Readonly<Record<string, unknown>>): ParamsType {
  return prune(params, '', new Set(uploadsAt(params).keys())) as ParamsType;
}

/**
 * A record of a djongoose resource. `create` writes the params it was built
 * from, uploads included; its own params (what `toJSON` sends the browser)
 * never hold an upload.
 *
 * @example
 * ```ts
 * const record = new AdminRecord({ name: 'Ann', avatar: req.files.avatar }, resource);
 * record.params; // { name: 'Ann' }
 * await record.create(context); // stores the avatar through its ImageField
 * ```
 */
export class AdminRecord extends BaseRecord {
  /** What the record was built from, for create(): flattening would turn an upload into plain text fields. */
  readonly #built: ParamsType;

  constructor(params: ParamsType | null | undefined, resource: BaseResource) {
    super(withoutUploads(params ?? {}), resource);
    this.#built = params ?? {};
  }

  override storeParams(payloadData?: object): void {
    super.storeParams(payloadData && withoutUploads(payloadData as Readonly<Record<string, unknown>>));
  }

  override async create(context?: ActionContext): Promise<BaseRecord> {
    try {
      this.storeParams(await this.resource.create(this.#built, context));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      this.baseError = err.baseError;
      this.errors = err.propertyErrors;
      return this;
    }
    this.baseError = null;
    this.errors = {};
    return this;
  }
}
