// Every private Mongoose access djongoose makes, in one place, so a Mongoose
// upgrade means reading this file and running test/unit/mongoose-internals*.
// Each export says why the public API does not suffice, falls back to a
// public route where one exists, and has a unit test that fails if an
// upgrade changes what it reads.
//
// Nothing outside this file reads a private Mongoose member (`_doc`,
// `$__…`, `$is…`, `defaultValue`, `castForQuery`, `schema.nested`,
// `schema.base`, SchemaType `.schema` or `setters`, …).

// ───────────────────────────────────────────────────────────────────────
// Section A: schemas and schema types (read by core/schema-shape.ts).
// ───────────────────────────────────────────────────────────────────────

// (end of section A)

// ───────────────────────────────────────────────────────────────────────
// Section B: documents, queries, models and the Mongoose instance.
// These are reached at run time, per document or per query, rather than
// once per schema.
// ───────────────────────────────────────────────────────────────────────

// (end of section B)
