export { connect, connectionSettings } from './connect.js';
export type { ConnectExtras, ConnectionSettings } from './connect.js';
export { resolveSettings, AUTH_MECHANISMS, PIPELINE_UPDATE_MODES } from './settings.js';
export type {
  AuthMechanism,
  ClientSettings,
  DjongoSettings,
  PassThroughClientOptions,
  PipelineUpdatesMode,
  ResolvedSettings,
} from './settings.js';
export { LOG_LEVELS } from './logging-settings.js';
export type {
  ConsoleLikeLogger,
  DebugLikeLogger,
  DictConfigLogger,
  DjongoLogger,
  LoggingSettings,
  LogLevel,
  OperationLogRecord,
  PinoLikeLogger,
  ResolvedLogging,
} from './logging-settings.js';
export {
  DjongooseError,
  ImproperlyConfigured,
  OperationalError,
  FieldError,
  RelationError,
  ValidationError,
  DoesNotExist,
  MultipleObjectsReturned,
  UnknownMongoMethod,
  MigrationError,
  NotSupportedError,
  IntegrityError,
  ProtectedError,
  ConcurrentUpdateError,
  IrreversibleError,
  UnconvertibleValuesError,
  MigrationLockedError,
  AnswerRequired,
  FilterError,
  InvalidPage,
  PageNotAnInteger,
  EmptyPage,
} from './errors.js';
export {
  SCHEMA_COLLECTION,
  TYPE_CODES,
  readSchemaEntry,
  reserveIds,
  raiseSeq,
  maxId,
  djongoFieldTypes,
  ensureSchemaCollection,
  registerAutoField,
  autoFieldOf,
} from './schema-collection.js';
export type { SchemaEntry, TypeCode } from './schema-collection.js';
