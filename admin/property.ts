// An AdminJS property over one field of a djongoose model: what the field's
// shape (core/schema-shape.ts) says, in AdminJS's words. The mapping from
// shape to these facts is in properties.ts; this class only holds them.
import { BaseProperty, type PropertyType } from 'adminjs';

/** What djongoose adds to a property, for components to hook onto: `property.custom.djongoose`. */
export type DjongooseKind = 'file' | 'image' | 'json' | 'autoId' | 'search' | 'migrationError';

/** The facts one property answers with. */
export interface PropertySpec {
  /** The key inside its parent: `name` for `blog.name`. AdminJS joins a sub-property's key to its parent's path. */
  readonly name: string;
  /** The dotted path from the document, without array indices: `blog.name`, `comments.text`. */
  readonly path: string;
  readonly type: PropertyType;
  /** Mongoose's instance name of the field, or of its elements for a list: how a filter value is read. */
  readonly instance?: string;
  readonly isId?: boolean;
  readonly isSortable?: boolean;
  readonly isEditable?: boolean;
  readonly isRequired?: boolean;
  readonly isArray?: boolean;
  readonly position?: number;
  /** The AdminJS resource id (the model name) a reference points at. */
  readonly reference?: string | null;
  readonly availableValues?: readonly string[] | null;
  readonly subProperties?: readonly PropertySpec[];
  /** A djongoose field kind the UI may render specially (uploads, JSON). */
  readonly kind?: DjongooseKind;
}

/**
 * One field of a model as AdminJS sees it. Made by the {@link Resource}
 * from the model's schema; apps rarely build one.
 *
 * @example
 * ```ts
 * const resource = new Resource(Entry);
 * resource.property('blog.name')?.type(); // 'string'
 * resource.property('comments')?.isArray(); // true
 * ```
 */
export class Property extends BaseProperty {
  readonly spec: PropertySpec;
  readonly #subProperties: Property[];

  constructor(spec: PropertySpec) {
    super({
      path: spec.name,
      type: spec.type,
      isId: spec.isId ?? false,
      isSortable: spec.isSortable ?? true,
      position: spec.position ?? 1,
    });
    this.spec = spec;
    this.#subProperties = (spec.subProperties ?? []).map((sub) => new Property(sub));
  }

  /** The djongoose field kind (file, image, json, autoId, search, migrationError), if any. */
  kind(): DjongooseKind | undefined {
    return this.spec.kind;
  }

  override isEditable(): boolean {
    return this.spec.isEditable ?? true;
  }

  override isRequired(): boolean {
    return this.spec.isRequired ?? false;
  }

  override isArray(): boolean {
    return this.spec.isArray ?? false;
  }

  override reference(): string | null {
    return this.spec.reference ?? null;
  }

  override availableValues(): string[] | null {
    return this.spec.availableValues ? [...this.spec.availableValues] : null;
  }

  override subProperties(): Property[] {
    return this.#subProperties;
  }

  override isVisible(): boolean {
    return this.spec.kind !== 'search';
  }
}
