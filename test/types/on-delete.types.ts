// Type tests for Django's on_delete on references (onDelete): the option is
// typed on a path's options and on ArrayReferenceField, and a save() option
// forceUpdate exists. Each line marked as an expected error must fail to compile.
import mongoose from 'mongoose';
import { ArrayReferenceField, type OnDelete } from '../../index.js';

const { ObjectId } = mongoose.Schema.Types;

export function onDeleteTypes(doc: mongoose.Document) {
  const ok: OnDelete[] = ['CASCADE', 'PROTECT', 'SET_NULL', 'SET_DEFAULT', 'DO_NOTHING', 'PULL'];
  new mongoose.Schema({ author: { type: ObjectId, ref: 'Author', onDelete: 'CASCADE' } });
  const options: mongoose.SchemaTypeOptions<unknown> = { type: ObjectId, ref: 'Author', onDelete: 'SET_NULL' };
  // @ts-expect-error onDelete: no action "SET_NUL"
  const typo: mongoose.SchemaTypeOptions<unknown> = { type: ObjectId, ref: 'Author', onDelete: 'SET_NUL' };
  ArrayReferenceField('Tag', { onDelete: 'PULL' });
  // @ts-expect-error an array of references takes no SET_NULL (PULL removes the key)
  ArrayReferenceField('Tag', { onDelete: 'SET_NULL' });
  void doc.save({ forceUpdate: true });
  // @ts-expect-error forceUpdate is a boolean
  void doc.save({ forceUpdate: 'yes' });
  return [ok, options, typo];
}
