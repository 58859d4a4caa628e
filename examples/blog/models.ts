// The seed's models:
//
//   class Blog(models.Model):
//       name = models.CharField(max_length=100)
//       tagline = models.TextField()
//       class Meta:
//           abstract = True
//
//   class Entry(models.Model):
//       blog = models.EmbeddedField(model_container=Blog)
//       headline = models.CharField(max_length=255)
//       objects = models.DjongoManager()
import mongoose, { type Connection } from 'mongoose';
import { abstractModel, autoIncrement, djongo, EmbeddedField, type Managed } from '../../index.js';

/** Blog is abstract: a schema used only embedded in Entry, with no _id of its own. */
export const blogSchema = abstractModel({
  name: { type: String, maxlength: 100 },
  tagline: { type: String },
});

export interface Entry {
  /** djongo's AutoField, from the __schema__ counter. */
  id: number;
  blog?: { name?: string; tagline?: string };
  headline?: string;
}

export const entrySchema = new mongoose.Schema<Entry>({
  blog: EmbeddedField(blogSchema),
  headline: { type: String, maxlength: 255 },
});
// objects = models.DjongoManager()
entrySchema.plugin(djongo);
// id = models.AutoField(primary_key=True), numbered by djongo's __schema__ collection.
entrySchema.plugin(autoIncrement);

export function entryModel(connection: Connection) {
  return connection.model<Entry, Managed<Entry>>('Entry', entrySchema);
}
