// What each emulator lacks, in one place. A test that needs one of these
// declares it with `lacks(...)` and is skipped on that emulator only, with the
// capability named in the output; never on a real MongoDB. Each gap is probed
// by test/e2e/capabilities.test.ts, which fails when an emulator turns out to
// have what this list says it lacks (or a server lacks what it should have).
import type { ServerKind } from './identify.js';

export const CAPABILITIES = {
  lookup: 'the $lookup aggregation stage',
  groupAccumulators: '$group accumulators other than $sum and $count ($avg, $min, $max, …)',
  dateOperators: 'date-part aggregation operators ($year, $month, …)',
  isoDateOperators: 'the ISO date operators $isoWeek, $isoWeekYear and $isoDayOfWeek',
  // MongoDB's docs: "a number between 1 (Sunday) and 7 (Saturday)"; 2016-01-01, a Friday, is 6.
  dayOfWeekSundayFirst: '$dayOfWeek counting from 1 = Sunday, as MongoDB does',
  findAndModifyProjection: 'a projection (fields) on findAndModify',
  atomicFindAndModify: 'atomic findAndModify under concurrent writers',
  atomicConditionalUpdates:
    'a conditional updateOne ({ _id, n: <read> } → { $set: { n: <read> + 1 } }) atomic under concurrent writers (compare-and-set)',
  nestedArrays: 'arrays nested in arrays',
  transactions: 'sessions and multi-document transactions',
  listCollectionsFilter: 'a filter on listCollections',
  exprComparison: 'comparison operators inside $expr (F() filters)',
  pipelineUpdates:
    'an update given as an aggregation pipeline (updateMany({}, [{ $set: { a: "$b" } }]): cross-field F() updates)',
  regexMatchText:
    '$regexMatch on $toString of a number inside $expr (regex, contains, startswith, … on a numeric field, as Django casts it to text)',
  elemMatchDocuments: '$elemMatch with field conditions on arrays of embedded documents (match)',
  containedByEmptyArray: '$not/$elemMatch matching an empty array (contained_by)',
  explain: 'the explain command',
  hello: 'the hello command (the driver falls back to isMaster)',
  saslAuthentication: 'SASL authentication (the saslStart command)',
  passwordCheck: 'authentication that checks a password against stored users',
  fieldPathValues: 'a "$field" path as a computed value in $addFields (FerretDB v1.24 returns the string "$field")',
  arithmeticExpressions: '$add, $subtract, $multiply and $divide expressions (F() annotations)',
  arrayExpressions: '$size, $max, $min and $avg of an array in $addFields (Count/Max/… annotations; $sum works)',
  conditionalExpressions:
    "$cond and $ifNull in aggregation expressions (Count(field), which skips nulls; an aggregate's default in annotate; null and missing as one key)",
  pullConditions:
    'a condition in $pull ({ $pull: { comments: { author: { $eq: "ann" } } } }; FerretDB v1.24 pulls nothing)',
  quotedFieldNames:
    'a top-level field name holding a double quote in an update ($set/$rename of \'a"b\'; FerretDB v1.24 on SQLite: "malformed JSON")',
  setOnInsertNull:
    '$setOnInsert of null and empty-array values on an upsert (FerretDB v1.24 drops them: { $setOnInsert: { c: null } } inserts no c)',
  multipleAccumulators: 'more than one accumulator in a $group (FerretDB v1.24 gives 0 for all but the first)',
  sample: 'the $sample aggregation stage',
  replaceRoot: 'the $replaceRoot aggregation stage',
  replaceWith: 'the $replaceWith aggregation stage',
  collectionValidator: "a collection validator (create's validator, collMod) that refuses a document failing it",
  // FerretDB v1.24 closes the connection on an insert of a Decimal128, and of NaN.
  decimal128: 'storing the Decimal128 BSON type',
  // MongoDB's docs ($avg): "Decimal128 input returns a Decimal128"; mongo-java-server 1.47 averages as doubles.
  decimalAverage: '$avg over Decimal128 values giving a Decimal128 (Avg of a DecimalField, a Decimal in Django)',
  nonFiniteDoubles:
    'storing NaN and ±Infinity doubles (FerretDB v1.24 refuses Infinity: "infinity values are not allowed")',
  regexBackreferences:
    'backreferences in $regex ({ $regex: "b(.).*b\\1" }; FerretDB v1.24 compiles patterns with Go\'s RE2: "Regular expression is invalid")',
  positionalUpdates:
    'the positional $ in an update path ({ $inc: { "cs.$.v": 1 } }; FerretDB v1.24: "Cannot create field \'$\'")',
  allPositionalUpdates:
    'the all-positional $[] in an update path ({ $unset: { "cs.$[].v": "" } }; FerretDB v1.24: $set refuses "Cannot create field \'$[]\'", $unset changes nothing)',
  arrayFilters:
    'the filtered positional $[<id>] with arrayFilters ({ $set: { "cs.$[c].v": 1 } }, { arrayFilters: [{ "c.v": { $exists: false } }] })',
  setKeyChanges:
    '$set of a value that differs from the stored one only in its keys ({ b: { x: 1 } } → { $set: { b: { y: 1 } } }; FerretDB v1.24 keeps { x: 1 } and reports 0 modified)',
  pushPosition: '$position in $push (FerretDB v1.24 ignores it and appends)',
  convertExpression:
    'the $convert expression in aggregation ({ $addFields: { n: { $convert: { input: "$s", to: "double" } } } }: AlterField on the server)',
  // Index options migrations keep (cli/migrations/indexes.ts): created and listed by listIndexes. mongo-java-server
  // 1.47 keeps them but does not enforce a partial or collated unique index (a second null or 'X' is a duplicate).
  partialIndexes: 'an index with partialFilterExpression (createIndex, then listIndexes lists it)',
  ttlIndexes: 'a TTL index (createIndex with expireAfterSeconds, then listIndexes lists it)',
  collationIndexes: 'an index with a collation (createIndex, then listIndexes lists it)',
  textIndexes: "a text index ({ t: 'text' } with weights, then listIndexes lists it)",
  literal: "the $literal expression (djongo sends { $project: { a: { $literal: 1 } } } for Django's exists())",
  duplicateKeyOnUpdate:
    "an update breaking a unique index refused as a duplicate key (code 11000; FerretDB v1.24 on SQLite: code 1, 'UNIQUE constraint failed')",
} as const;

export type Capability = keyof typeof CAPABILITIES;

/** The gaps, per server kind. A real MongoDB has none. */
export const GAPS: Record<ServerKind, readonly Capability[]> = {
  ferretdb: [
    // updateOne({ k: 2 }, { $set: { k: 1 } }) under a unique index on k, plain driver: code 1,
    // "... constraint failed: UNIQUE constraint failed: index '…_k_1' (2067)"; an insert is code 11000.
    'duplicateKeyOnUpdate',
    'lookup',
    'groupAccumulators',
    'dateOperators',
    'isoDateOperators',
    'dayOfWeekSundayFirst',
    'findAndModifyProjection',
    'atomicFindAndModify',
    // 20 parallel compare-and-set increments through the plain driver (findOne n, then
    // updateOne({ _id, n }, { $set: { n: n + 1 } }), again until one matches) end below 20 on
    // v1.24: two conditional updates both match the same n. mongo-java-server ends at 20.
    'atomicConditionalUpdates',
    'nestedArrays',
    'transactions',
    'exprComparison',
    // "MongoServerError: BSON field 'update.updates.u' is the wrong type 'array', expected type 'object'"
    'pipelineUpdates',
    // "MongoServerError: Invalid $match :: caused by :: The operator $regexMatch is not implemented yet"
    'regexMatchText',
    'containedByEmptyArray',
    'elemMatchDocuments',
    // v1.24's SQLite handler takes PLAIN and checks nothing; SCRAM needs the
    // experimental new auth, which the embeddable package does not expose.
    'passwordCheck',
    'fieldPathValues',
    'arithmeticExpressions',
    'arrayExpressions',
    'conditionalExpressions',
    'multipleAccumulators',
    'setOnInsertNull',
    'sample',
    'replaceRoot',
    'replaceWith',
    'collectionValidator',
    'decimal128',
    'decimalAverage',
    'nonFiniteDoubles',
    'pullConditions',
    'quotedFieldNames',
    // find({ h: { $regex: 'b(.).*b\\1' } }) through the plain driver: "MongoServerError: Regular expression
    // is invalid: PCRE does not support \L, \l, \N{name}, \U, or \u"; mongo-java-server matches "barfoobaz".
    'regexBackreferences',
    'positionalUpdates',
    // updateMany({}, { $set: { 'cs.$[].v': 1 } }) through the plain driver: "Cannot create field '$[]' in element
    // {cs: [...]}"; the same $unset answers ok and changes nothing. mongo-java-server sets and unsets every element.
    'allPositionalUpdates',
    // Any update with arrayFilters: "q: support for field "arrayFilters" … is not implemented yet";
    // mongo-java-server runs it.
    'arrayFilters',
    // updateOne({ h: 'd' }, { $set: { blog: { by: 'cy' } } }) over { blog: { author: 'cy' } } through the plain
    // driver: modifiedCount 0, the old value kept; with { by: 'cy', x: 1 } it is written. mongo-java-server writes both.
    'setKeyChanges',
    'pushPosition',
    // djongo's exists() through pymongo, and the same $project through the plain driver: "Invalid $project ::
    // caused by :: The operator $literal is not implemented yet"; mongo-java-server answers { a: 1 }.
    'literal',
    // { $addFields: { n: { $convert: { input: '$s', to: 'double', onError: 'ERR' } } } } through the plain driver:
    // "Invalid $addFields :: caused by :: The operator $convert is not implemented yet"; mongo-java-server answers 42.
    'convertExpression',
    // createIndex through the plain driver: 'Index option "partialFilterExpression" is not implemented yet' (the same
    // for expireAfterSeconds and collation), and for { t: 'text' } "can't find index with key: { t: "text" }";
    // mongo-java-server builds all four and lists their options.
    'partialIndexes',
    'ttlIndexes',
    'collationIndexes',
    'textIndexes',
  ],
  'mongo-java-server': [
    'listCollectionsFilter',
    // "Unknown error: class java.util.ArrayList cannot be cast to class de.bwaldvogel.mongo.bson.Document"
    'pipelineUpdates',
    // "MongoServerError: unknown operator: $regexMatch"
    'regexMatchText',
    'isoDateOperators',
    'dayOfWeekSundayFirst',
    'hello',
    'explain',
    'transactions',
    'saslAuthentication',
    'passwordCheck',
    'replaceWith',
    'collectionValidator',
    // { $group: { _id: null, a: { $avg: '$d' } } } over Decimal128 1.5 and 2.5 gives the double 2.
    'decimalAverage',
  ],
  mongodb: [],
};
