// `npm run example`: the seed's Blog/Entry models on the seed's settings dict.
// With MONGODB_URI set it uses that server; otherwise it starts a local
// FerretDB on SQLite whose data stays in .data/example-ferretdb.
import path from 'node:path';
import { connect, Count, type DjongoSettings } from '../../index.js';
import { ROOT } from '../../test/harness/paths.js';
import { ferretdb, type RunningServer } from '../../test/harness/servers.js';
import { entryModel } from './models.js';

let local: RunningServer | undefined;
let host = process.env['MONGODB_URI'];
if (!host) {
  const definition = ferretdb();
  console.log('MONGODB_URI is unset: starting a local FerretDB (SQLite) in .data/example-ferretdb;');
  console.log('the first run builds it with Go, which takes a minute or two …');
  await definition.build();
  local = await definition.start({ dataDir: path.join(ROOT, '.data', 'example-ferretdb') });
  host = local.uri;
}

const DATABASES: Record<'default', DjongoSettings> = {
  default: {
    ENGINE: 'djongo',
    NAME: process.env['EXAMPLE_DB_NAME'] ?? 'blog',
    ENFORCE_SCHEMA: false,
    CLIENT: { host },
  },
};

const connection = await connect(DATABASES.default);
try {
  const Entry = entryModel(connection);
  await Entry.objects.all().delete();
  await Entry.objects.bulkCreate([
    { blog: { name: 'Beatles Blog', tagline: 'All the latest Beatles news.' }, headline: 'Hey Jude' },
    { blog: { name: 'Beatles Blog', tagline: 'All the latest Beatles news.' }, headline: 'Abbey Road remastered' },
    { blog: { name: 'Stones Weekly', tagline: 'Rolling news.' }, headline: 'Paint It Black' },
  ]);

  // Django's form; djongo's form `{ blog__startswith: { name: 'Beatles' } }` is the same query.
  const beatles = await Entry.objects.filter({ blog__name__startswith: 'Beatles' }).orderBy('-headline').lean();
  console.log(`Entries whose blog name starts with "Beatles" (${beatles.length}):`);
  for (const entry of beatles) console.log(`  ${entry.headline} (${entry.blog?.name})`);
  const ids = await Entry.objects.orderBy('pk').valuesList('pk', { flat: true });
  console.log(`Entry ids, numbered by djongo's __schema__ counter: ${ids.join(', ')}`);
  const { n } = await Entry.objects.filter({ blog__name: 'Stones Weekly' }).aggregate({ n: Count() });
  console.log(`Entries of Stones Weekly: ${n}`);
} finally {
  await connection.close();
  await local?.stop();
}
