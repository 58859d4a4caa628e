// The example's first data, written once into an empty database.
import type { AdminModels } from './models.js';

/**
 * Seeds three entries and two authors when there are no entries yet.
 *
 * @example
 * ```ts
 * await seed(adminModels(connection));
 * ```
 */
export async function seed({ Entry, Author }: AdminModels): Promise<void> {
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
}
