// The seed's GridFS section in Mongoose:
//   grid_fs_storage = GridFSStorage(collection='myfiles')
//   avatar = models.ImageField(storage=grid_fs_storage, upload_to='')
// `node --import tsx examples/avatars/main.ts` (MONGODB_URI, or a local FerretDB).
import { Schema, type HydratedDocument, type Model } from 'mongoose';
import { connect, manager, type Managed } from '../../index.js';
import { GridFSStorage, ImageField, fieldFile, type FileFields } from '../../storage/index.js';
import { gradientPng } from './png.js';
import { exampleServer } from './server.js';

const { host, stop } = await exampleServer();
const connection = await connect({
  ENGINE: 'djongo',
  NAME: process.env['EXAMPLE_DB_NAME'] ?? 'avatars',
  CLIENT: { host },
});

const gridFsStorage = new GridFSStorage({ collection: 'myfiles', connection, baseUrl: '/media/' });

interface Profile {
  user: string;
  avatar?: string | null; // stored as the file's name, as Django stores it
  avatarWidth?: number;
  avatarHeight?: number;
}
const profileSchema = new Schema<Profile>({
  user: String,
  avatar: {
    type: ImageField,
    storage: gridFsStorage,
    uploadTo: '',
    widthField: 'avatarWidth',
    heightField: 'avatarHeight',
  },
  avatarWidth: Number,
  avatarHeight: Number,
});
profileSchema.plugin(manager);
type ProfileDoc = HydratedDocument<Profile, FileFields<'avatar'>>;
const Profile = connection.model<Profile, Model<Profile, object, object, object, ProfileDoc> & Managed<Profile>>(
  'Profile',
  profileSchema,
);

try {
  await Profile.deleteMany({});
  await (await gridFsStorage.bucket()).bucket.drop().catch(() => undefined); // a clean run: no files yet

  // Assign content and save: the pre-save hook uploads it to GridFS.
  const ann = new Profile({ user: 'ann', avatar: { name: 'ann.png', content: gradientPng(64, 48) } });
  await ann.save();
  console.log(
    `ann's avatar: ${ann.avatar.name} (${ann.avatarWidth}×${ann.avatarHeight}, ${await ann.avatar.size()} bytes) at ${ann.avatar.url}`,
  );

  // FieldFile.save(), Django's instance.avatar.save(name, content).
  const bob = await new Profile({ user: 'bob' }).save();
  await bob.avatar.save('ann.png', gradientPng(32, 32)); // a taken name gets a suffix
  console.log(`bob's avatar took a free name: ${/^ann_\w{7}\.png$/.test(bob.avatar.name ?? '')}`);

  // The field queries like a string, through Model.objects.
  const users = await Profile.objects
    .filter({ avatar__startswith: 'ann' })
    .orderBy('user')
    .valuesList('user', { flat: true });
  console.log(`profiles whose avatar name starts with "ann": ${users.join(', ')}`);

  // A plain string, what a request body sends, cannot claim a stored file.
  const eve = new Profile({ user: 'eve', avatar: bob.avatar.name });
  await eve.save().catch((err: Error) => console.log(`eve naming bob's file: ${err.name}`));

  // Replacing keeps the old file, as Django does.
  const loaded = await Profile.objects.get({ user: 'ann' });
  loaded.set('avatar', { name: 'ann-2026.png', content: gradientPng(16, 16) });
  await loaded.save();
  console.log(
    `ann's new avatar: ${fieldFile(loaded, 'avatar').name}; files in myfiles: ${(await gridFsStorage.listdir()).files.length}`,
  );
} finally {
  await connection.close();
  await stop();
}
