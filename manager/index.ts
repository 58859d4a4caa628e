// djongoose/manager: Django-style managers, QuerySets, Q, F and lookups.
export { DjongoManager } from './manager.js';
export type { DjongoManagerWithDriver } from './manager.js';
export { QuerySet } from './queryset.js';
export type { MongoQuery } from './queryset.js';
export type { ModelOf } from './model-of.js';
export { Q, F, Raw, QNode, RawFilter, FExpression, Value, ValueExpression } from './q.js';
export type { FilterInput, FilterArgument, Condition, FOperator, FOperand, FConstant, FStep } from './q.js';
export type { TypedFilter, TypedQ } from './filter-types.js';
export { registerLookup, escapeRegex, lookupNamesFor } from './lookups.js';
export type { CustomLookups, Lookup, LookupFamily, LookupFieldType, LookupTarget, MongoFilter } from './lookups.js';
export { compileFilter } from './filter.js';
export type { CompileScope } from './compile.js';
export { compileUpdate, UPDATE_KEYS } from './update.js';
export type { CompiledUpdate } from './update.js';
export { RawUpdate, RawUpdateDocument } from './update-raw.js';
export type { RawUpdateOperators, RawUpdateStage, RawUpdateStages } from './update-raw.js';
export type { UpdateOptions } from './update-run.js';
export { resolveKey, setPrimaryKey, primaryKeyOf } from './resolve.js';
export type { ResolvedKey } from './resolve.js';
export {
  DjongooseError,
  ImproperlyConfigured,
  FieldError,
  RelationError,
  ValidationError,
  DoesNotExist,
  MultipleObjectsReturned,
  UnknownMongoMethod,
  MigrationError,
  NotSupportedError,
} from '../core/errors.js';
export { mongoPassthrough, driverMethodName } from './passthrough.js';
export type { MongoPassthrough, CollectionMethodName, SnakeCase } from './passthrough.js';
export { Sum, Avg, Min, Max, Count, isAggregate, defaultAlias } from './aggregates.js';
export { compileAggregation } from './aggregate-compile.js';
export { compileAnnotations } from './annotations-compile.js';
export type {
  AggregateNode,
  AggregateFunction,
  AggregateDefault,
  SumOptions,
  MinMaxOptions,
  AggregateSpec,
  AggregateScope,
  Annotation,
  AnnotationSpec,
} from './aggregates.js';
export type {
  AggregateResult,
  Annotated,
  AnnotatedFields,
  CheckedAggregates,
  DefaultAliased,
} from './aggregate-types.js';
export { refreshFromDb } from './refresh.js';
export type { RefreshOptions } from './refresh.js';
export { loadDeferred } from './deferred.js';
export type { DeferrableField } from './deferred.js';
export type { OnDelete } from './on-delete-rules.js';
export type { DjongooseDocument } from './document-methods.js';
export { getNextBy, getPreviousBy } from './next-by.js';
export type { DateFieldOf } from './document-methods.js';
