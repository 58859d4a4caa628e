// FileField and ImageField on a real server: the document stores the name,
// reads as a FieldFile, uploads pending content in pre-save, fills image
// dimensions, keeps or removes old files as Django (and deleteOrphans) say,
// leaves nothing behind when a source fails, and queries like a string; in
// both GridFS layouts (flat, djongo's bucket per directory).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Schema, type Document } from 'mongoose';
import { manager, type Managed } from '../../index.js';
import {
  FieldFile,
  fieldFile,
  FileField,
  GridFSStorage,
  ImageField,
  ImproperlyConfigured,
  InvalidFileContent,
  SuspiciousFileOperation,
  existingFile,
} from '../../storage/index.js';
import { openTestDatabase, server } from '../helpers/server.js';
import {
  failingStream,
  gifHeader,
  patternStream,
  PNG_1x1,
  pngHeader,
  readAll,
  SourceFailed,
} from '../helpers/storage-sources.js';

import type { GridFSLayout } from '../../storage/layout.js';
import { BOTH_LAYOUTS, storedCounts } from '../helpers/storage-layouts.js';

for (const layout of BOTH_LAYOUTS) await suite(layout);

async function suite(layout: GridFSLayout): Promise<void> {
  const conn = await openTestDatabase(import.meta.url);
  const storage = new GridFSStorage({ collection: 'myfiles', connection: conn, baseUrl: '/media/', layout });

  interface Profile {
    user: string;
    avatar?: string | null; // what is stored: the name
    avatarWidth?: number;
    avatarHeight?: number;
    resume?: string | null;
  }
  const profileSchema = new Schema<Profile>({
    user: String,
    avatar: {
      type: ImageField,
      storage,
      uploadTo: 'avatars/%Y/%m/',
      widthField: 'avatarWidth',
      heightField: 'avatarHeight',
    },
    avatarWidth: Number,
    avatarHeight: Number,
    resume: {
      type: FileField,
      storage,
      uploadTo: (doc: Document, filename: string) => `resumes/${String(doc.get('user'))}/${filename}`,
    },
  });
  profileSchema.plugin(manager);
  const Profile = conn.model<Profile, Managed<Profile>>('Profile', profileSchema);

  interface Clean {
    label?: string;
    file?: string | null;
  }
  const cleanSchema = new Schema<Clean>({
    label: String,
    file: { type: FileField, storage, uploadTo: 'clean/', deleteOrphans: true },
  });
  const Clean = conn.model<Clean>('Clean', cleanSchema);

  const now = new Date();
  const month = `avatars/${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/`;
  const raw = async (user: string) => conn.db!.collection('profiles').findOne({ user });
  async function counts(): Promise<{ files: number; chunks: number }> {
    return storedCounts(storage);
  }

  describe(`FileField and ImageField, ${layout} layout, on ${server.name}`, () => {
    test('assigning { name, content } uploads on save; the document stores the name', async () => {
      const profile = new Profile({ user: 'ann', avatar: { name: 'me.png', content: PNG_1x1 } });
      assert.equal(fieldFile(profile, 'avatar').name, `${month}me.png`, 'the candidate name before the save');
      await profile.save();
      assert.equal((await raw('ann'))?.['avatar'], `${month}me.png`);
      assert.ok((profile.get('avatar') as unknown) instanceof FieldFile);
      assert.equal(fieldFile(profile, 'avatar').url, `/media/${month}me.png`);
      assert.equal(await fieldFile(profile, 'avatar').size(), PNG_1x1.length);
      assert.ok((await readAll(await fieldFile(profile, 'avatar').open())).equals(PNG_1x1));
      assert.equal(profile.avatarWidth, 1);
      assert.equal(profile.avatarHeight, 1);
      assert.equal((await storage.stat(fieldFile(profile, 'avatar').name!)).contentType, 'image/png');
      assert.equal(JSON.stringify(profile.toJSON({ getters: true }).avatar), JSON.stringify(`${month}me.png`));
    });

    test('assigning a Buffer names it after the path and the image type', async () => {
      const profile = await new Profile({ user: 'bob', avatar: gifHeader(3, 2) }).save();
      assert.equal(fieldFile(profile, 'avatar').name, `${month}avatar.gif`);
      assert.deepEqual([profile.avatarWidth, profile.avatarHeight], [3, 2]);
    });

    test('a taken name gets a suffix; the old file stays by default (Django)', async () => {
      const profile = await Profile.findOne({ user: 'ann' }).orFail();
      const old = fieldFile(profile, 'avatar').name!;
      profile.set('avatar', { name: 'me.png', content: pngHeader(40, 30) });
      await profile.save();
      assert.match(fieldFile(profile, 'avatar').name!, new RegExp(`^${month}me_\\w{7}\\.png$`));
      assert.deepEqual([profile.avatarWidth, profile.avatarHeight], [40, 30]);
      assert.equal(await storage.exists(old), true, 'replaced, not deleted');
    });

    test('FieldFile.save() uploads and saves the document; delete() removes the file and empties the path', async () => {
      const profile = await new Profile({ user: 'cid' }).save();
      assert.equal(fieldFile(profile, 'resume').name, null);
      assert.throws(() => fieldFile(profile, 'resume').url, /has no file associated/);
      const name = await fieldFile(profile, 'resume').save('My CV (final).pdf', Buffer.from('%PDF-1.4 …'));
      assert.equal(name, 'resumes/cid/My_CV_final.pdf');
      assert.equal((await raw('cid'))?.['resume'], name);
      assert.equal((await storage.stat(name)).contentType, 'application/pdf');
      await fieldFile(profile, 'resume').delete();
      assert.equal(await storage.exists(name), false);
      assert.equal((await raw('cid'))?.['resume'], null);
    });

    test('an ImageField refuses content that is not an image, in memory or streamed, and stores nothing', async () => {
      const before = await counts();
      // What was wrong and what is accepted, whether the bytes are in memory or streamed.
      const refusal =
        /^avatar: "x\.png" is not an image djongoose can read \(image-size found no known format\); accepted: png, jpeg, gif, webp, /;
      const profile = new Profile({ user: 'dan', avatar: { name: 'x.png', content: Buffer.from('not an image') } });
      await assert.rejects(profile.save(), (err: Error) => {
        assert.equal(err.name, 'ValidationError');
        const reason = (err as unknown as { errors: Record<string, { reason?: unknown }> }).errors['avatar']?.reason;
        assert.ok(reason instanceof InvalidFileContent);
        assert.match(reason.message, refusal);
        return true;
      });
      const streamed = new Profile({ user: 'dan', avatar: { name: 'x.png', content: patternStream(600_000) } });
      await assert.rejects(
        streamed.save(),
        (err: Error) => err instanceof InvalidFileContent && refusal.test(err.message),
      );
      await assert.rejects(
        fieldFile(new Profile({ user: 'dan' }), 'avatar').save('x.png', Buffer.from('not an image')),
        (err: Error) => err instanceof InvalidFileContent && refusal.test(err.message),
      );
      await assert.rejects(
        new Profile({
          user: 'dan',
          avatar: { name: 'x.svg', content: Buffer.from('<svg width="1" height="1"/>') },
        }).save(),
        (err: Error) => {
          const reason = (err as unknown as { errors: Record<string, { reason?: unknown }> }).errors['avatar']?.reason;
          assert.ok(reason instanceof InvalidFileContent);
          assert.match(reason.message, /SVG is not accepted/);
          return true;
        },
      );
      assert.deepEqual(await counts(), before);
      assert.equal(await Profile.countDocuments({ user: 'dan' }), 0);
    });

    test('a streamed image is checked from its head and uploaded whole', async () => {
      const body = Buffer.concat([pngHeader(800, 600), await readAll(patternStream(500_000))]);
      const profile = await new Profile({ user: 'eve', avatar: { name: 'big.png', content: patternOf(body) } }).save();
      assert.deepEqual([profile.avatarWidth, profile.avatarHeight], [800, 600]);
      assert.ok((await readAll(await fieldFile(profile, 'avatar').open())).equals(body));
    });

    test('R3: a field upload whose source fails part-way leaves nothing and does not save the document', async () => {
      const before = await counts();
      const doc = new Profile({ user: 'fay', resume: { name: 'cv.bin', content: failingStream(4) } });
      await assert.rejects(doc.save(), SourceFailed);
      assert.deepEqual(await counts(), before);
      assert.equal(await raw('fay'), null);
    });

    test('queries on the field work like a string, through Model.objects', async () => {
      const users = await Profile.objects
        .filter({ avatar__startswith: month })
        .orderBy('user')
        .valuesList('user', { flat: true });
      assert.deepEqual(users, ['ann', 'bob', 'eve']);
      assert.equal(await Profile.objects.filter({ resume__isnull: false }).count(), 0);
      const ann = await Profile.objects.get({ avatar__endswith: '.png', user: 'ann' });
      assert.equal(ann.user, 'ann');
    });

    test('existingFile(name) names an already stored file; a hostile string is refused', async () => {
      const name = await storage.save('shared/logo.png', PNG_1x1);
      const profile = await new Profile({ user: 'gus', avatar: existingFile(name) }).save();
      assert.equal(fieldFile(profile, 'avatar').url, '/media/shared/logo.png');
      const bad = new Profile({ user: 'gus2', avatar: '../../etc/passwd' });
      await assert.rejects(bad.save(), (err: Error) => {
        assert.equal(err.name, 'ValidationError');
        const reason = (err as unknown as { errors: Record<string, { reason?: unknown }> }).errors['avatar']?.reason;
        assert.ok(reason instanceof SuspiciousFileOperation);
        return true;
      });
    });

    test('deleteOrphans: the old file goes only after the save succeeded; deletes remove files', async () => {
      const doc = await new Clean({ label: 'a', file: { name: 'one.txt', content: 'one' } }).save();
      const first = String(doc.get('file'));
      doc.set('file', { name: 'two.txt', content: 'two' });
      await doc.save();
      assert.equal(await storage.exists(first), false, 'replaced and removed');
      const second = String(doc.get('file'));

      // A failed save (validation) keeps the old file.
      doc.set('file', { name: 'three.txt', content: 'three' });
      doc.set('label', { not: 'a string' });
      await assert.rejects(doc.save());
      assert.equal(await storage.exists(second), true, 'still there after a failed save');

      const fresh = await Clean.findById(doc._id).orFail();
      await fresh.deleteOne();
      assert.equal(await storage.exists(second), false, 'document deleted, file removed');

      const many = await Promise.all(
        [
          { label: 'm', file: { name: 'm1.txt', content: 'x' } },
          { label: 'm', file: { name: 'm2.txt', content: 'x' } },
          { label: 'k', file: { name: 'k.txt', content: 'x' } },
        ].map((d) => new Clean(d).save()),
      );
      const names = many.map((d) => String(d.get('file')));
      await Clean.deleteMany({ label: 'm' });
      assert.deepEqual(await Promise.all(names.map((n) => storage.exists(n))), [false, false, true]);
    });

    test('bad field options raise ImproperlyConfigured', () => {
      assert.throws(() => new Schema({ f: { type: FileField } }), ImproperlyConfigured);
      assert.throws(() => new Schema({ f: { type: FileField, storage, uploadTo: 'x/%Q/' } }), /unknown placeholder %Q/);
      assert.throws(() => new Schema({ f: { type: ImageField, storage, widthField: 3 } }), ImproperlyConfigured);
    });
  });
}

async function* patternOf(body: Buffer): AsyncGenerator<Buffer> {
  for (let at = 0; at < body.length; at += 65_536) yield body.subarray(at, at + 65_536);
}
