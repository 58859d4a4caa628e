// The example's first data, written once into an empty database.
import { migrate } from '../../cli/api.js';
import type { AdminModels } from './models.js';

/**
 * Seeds three entries, two authors and two readers when there are no entries
 * yet; first migrates the Reader, whose strict mode writes only into a
 * collection `migrate` made.
 *
 * @example
 * ```ts
 * await seed(adminModels(connection));
 * ```
 */
export async function seed({ Entry, Author, Reader }: AdminModels): Promise<void> {
  await migrate(Reader.db, [Reader]);
  if ((await Entry.countDocuments()) > 0) return;
  await Entry.objects.bulkCreate([
    { blog: { name: 'Beatles Blog', tagline: 'All the latest Beatles news.' }, headline: 'Hey Jude' },
    { blog: { name: 'Beatles Blog', tagline: 'All the latest Beatles news.' }, headline: 'Abbey Road remastered' },
    { blog: { name: 'Stones Weekly', tagline: 'Rolling news.' }, headline: 'Paint It Black' },
  ]);
  await Author.create([
    {
      name: 'Ann',
      comments: [
        { author: 'bob', text: 'Great post!' },
        { author: 'eve', text: 'Needs more Ringo.' },
      ],
      settings: { theme: 'dark', newsletter: true },
    },
    { name: 'Bob', comments: [] },
  ]);
  await Reader.objects.bulkCreate([
    { name: 'Carol', email: 'carol@example.com' },
    { name: 'Dave', email: 'dave@example.com' },
  ]);
}
