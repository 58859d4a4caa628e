// Strict writes: a new document gets null in every field it leaves unset, at
// every depth, as Django writes every column. Without it a document saved
// through a strict model would fail the model's own strict reads.
import mongoose, { type Document } from 'mongoose';
import type { Plan } from './plan.js';

/**
 * Sets every unset field of a new strict document to null, at every depth.
 *
 * @example
 * ```ts
 * const blog = new Blog({ name: 'Beatles Blog' });
 * pad(blog, planOf(Blog.schema), '');
 * blog.tagline; // null, and save() stores it
 * ```
 */
export function pad(doc: Document, plan: Plan, prefix: string): void {
  for (const field of plan.fields) {
    const path = prefix + field.key;
    const value: unknown = doc.get(path);
    if (value === undefined) {
      doc.set(path, null);
    } else if (field.child && value !== null) {
      if (field.array && Array.isArray(value)) {
        for (const item of value) if (item instanceof mongoose.Document) pad(item, field.child, '');
      } else if (value instanceof mongoose.Document) {
        pad(value, field.child, '');
      } else if (field.nested) {
        pad(doc, field.child, `${path}.`);
      }
    }
  }
}
