// Checks made when a QuerySet method is called, before anything is kept in
// its props: annotate()'s spec must compile and its names must be free.
import type { Model } from 'mongoose';
import { FieldError } from '../core/errors.js';
import { resolveKey } from './resolve.js';
import { compileAnnotations, type AnnotationSpec } from './aggregates.js';
import { scopeOf } from './queryset-props.js';

function isModelMember<TRaw>(model: Model<TRaw>, name: string): boolean {
  try {
    if (resolveKey(model.schema, model.modelName, name).lookups.length === 0) return true;
  } catch (err) {
    if (!(err instanceof FieldError)) throw err;
  }
  return name in (model.prototype as object);
}

/** Refuses annotate()'s spec when it does not compile, or a name is taken already. */
export function checkAnnotations<TRaw>(model: Model<TRaw>, annotations: AnnotationSpec, spec: AnnotationSpec): void {
  compileAnnotations(scopeOf(model), spec);
  for (const name of Object.keys(spec)) {
    if (Object.hasOwn(annotations, name)) {
      throw new FieldError(`The annotation ${JSON.stringify(name)} is already defined on this QuerySet.`);
    }
    if (isModelMember(model, name)) {
      throw new FieldError(
        `The annotation ${JSON.stringify(name)} conflicts with a field or method of ${model.modelName}.`,
      );
    }
  }
}
