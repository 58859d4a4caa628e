// onDelete declarations read from schemas (no server): which rules a delete
// of a model finds on its connection, and the checks of a declaration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { FieldError, ArrayReferenceField } from '../../index.js';
import { checkOnDelete, onDeleteRules } from '../../manager/on-delete-rules.js';

const { ObjectId } = mongoose.Schema.Types;

test('onDeleteRules finds the references to a model on its connection, DO_NOTHING left out', () => {
  const conn = mongoose.createConnection();
  const Author = conn.model('Author', new mongoose.Schema({ name: String, id: Number }));
  conn.model(
    'Book',
    new mongoose.Schema({
      author: { type: ObjectId, ref: 'Author', onDelete: 'CASCADE' },
      editor: { type: ObjectId, ref: Author, onDelete: 'SET_NULL' },
      ghost: { type: ObjectId, ref: 'Author', onDelete: 'DO_NOTHING' },
      plain: { type: ObjectId, ref: 'Author' },
      other: { type: ObjectId, ref: 'Other', onDelete: 'CASCADE' },
      meta: { reviewer: { type: ObjectId, ref: 'Author', onDelete: 'SET_NULL' } },
      coauthors: ArrayReferenceField('Author', { onDelete: 'PULL', type: Number }),
    }),
  );
  const rules = onDeleteRules(Author as unknown as mongoose.Model<unknown>).map((r) => [
    r.model.modelName,
    r.path,
    r.action,
    r.many,
    r.key,
  ]);
  assert.deepEqual(
    rules.sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    [
      ['Book', 'author', 'CASCADE', false, '_id'],
      ['Book', 'coauthors', 'PULL', true, '_id'],
      ['Book', 'editor', 'SET_NULL', false, '_id'],
      ['Book', 'meta.reviewer', 'SET_NULL', false, '_id'],
    ],
  );
});

test('checkOnDelete refuses what Django refuses, naming the path and what is accepted', () => {
  const refused = (definition: mongoose.SchemaDefinition, pattern: RegExp) =>
    assert.throws(
      () => checkOnDelete(new mongoose.Schema(definition), 'M'),
      (err: unknown) => err instanceof FieldError && pattern.test(err.message),
    );
  refused({ a: { type: ObjectId, ref: 'X', onDelete: 'cascade' as never } }, /^M\.a: onDelete "cascade" .*CASCADE/);
  refused({ a: { type: ObjectId, ref: 'X', required: true, onDelete: 'SET_NULL' } }, /M\.a: .*required/);
  refused({ a: [{ type: ObjectId, ref: 'X', onDelete: 'SET_DEFAULT' }] }, /array of references/);
  refused({ a: { type: Number, onDelete: 'PROTECT' } }, /not a reference/);
  checkOnDelete(new mongoose.Schema({ a: { type: ObjectId, ref: 'X', default: null, onDelete: 'SET_DEFAULT' } }));
});
