// The adapter's record: AdminJS's BaseRecord, except that an uploaded file
// never becomes part of its params. AdminJS keeps what the form posted in
// the record's params and sends them back to the browser when the write is
// refused; for an upload that is the parser's object, whose `path` is the
// server's temporary file. So uploads go to the resource's write as they
// came, and the params keep only what the database holds and the form's
// other fields.
import { BaseRecord, ValidationError, type ActionContext, type BaseResource, type ParamsType } from 'adminjs';
import { isPlainObject } from '../core/values.js';
import { isUpload } from './uploads.js';

/**
 * The params without their uploads, at any depth (AdminJS's param converter
 * also nests a `blog.avatar` file under `blog`).
 *
 * @example
 * ```ts
 * withoutUploads({ name: 'Ann', avatar: req.files.avatar }); // { name: 'Ann' }
 * ```
 */
export function withoutUploads(params: Readonly<Record<string, unknown>>): ParamsType {
  const out: ParamsType = {};
  for (const [key, value] of Object.entries(params)) {
    if (isUpload(value)) continue;
    out[key] = strip(value);
  }
  return out;
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => !isUpload(item)).map(strip);
  return isPlainObject(value) ? withoutUploads(value) : value;
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
