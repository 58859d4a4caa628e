// An ImageField's dimensions are judged by the schema's validators on its
// widthField / heightField whichever way the image comes: content assigned
// in code (in memory, a bare Buffer, streamed), FieldFile.save(), and
// storeUpload (the admin's way in; multer's engine is checked in
// field-uploads). A refused image stores nothing in GridFS and writes
// nothing to the collection, with the same InvalidFileContent each way.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { Schema } from 'mongoose';
import { fieldFile, GridFSStorage, ImageField, InvalidFileContent, storeUpload } from '../../storage/index.js';
import { openTestDatabase, server } from '../helpers/server.js';
import { gifHeader } from '../helpers/storage-sources.js';
import type { GridFSLayout } from '../../storage/layout.js';
import { BOTH_LAYOUTS, storedCounts } from '../helpers/storage-layouts.js';

for (const layout of BOTH_LAYOUTS) await suite(layout);

async function suite(layout: GridFSLayout): Promise<void> {
  const conn = await openTestDatabase(import.meta.url);
  const storage = new GridFSStorage({ collection: `badges_${layout}`, connection: conn, layout });

  interface Badge {
    label: string;
    icon?: string | null;
    iconWidth?: number;
    iconHeight?: number;
  }
  const badgeSchema = new Schema<Badge>({
    label: String,
    icon: { type: ImageField, storage, uploadTo: 'icons/', widthField: 'iconWidth', heightField: 'iconHeight' },
    iconWidth: { type: Number, max: 64 },
    iconHeight: { type: Number, min: 2 },
  });
  const Badge = conn.model<Badge>(`Badge_${layout}`, badgeSchema);
  // The same image path in a subdocument, single and in a list: its validators judge it there.
  const stickerSchema = new Schema({
    icon: { type: ImageField, storage, uploadTo: 'stickers/', widthField: 'iconWidth' },
    iconWidth: { type: Number, max: 64 },
  });
  const Sheet = conn.model(
    `Sheet_${layout}`,
    new Schema({ label: String, cover: stickerSchema, stickers: [stickerSchema] }),
  );
  const raw = (label: string) => Badge.collection.findOne({ label });

  /** Asserts `write` is refused for the dimensions, and that nothing reached GridFS or the collection. */
  async function refused(write: () => Promise<unknown>, dimensions: string, path: string): Promise<void> {
    const before = { ...(await storedCounts(storage)), badges: await Badge.countDocuments() };
    await assert.rejects(write(), (err: Error) => {
      assert.ok(err instanceof InvalidFileContent, `${err.name}: ${err.message}`);
      assert.match(err.message, new RegExp(`^icon: the image is ${dimensions}, which the schema refuses: .*${path}`));
      return true;
    });
    assert.deepEqual({ ...(await storedCounts(storage)), badges: await Badge.countDocuments() }, before);
  }

  describe(`ImageField dimension validators, ${layout} layout, on ${server.name}`, () => {
    test('an image within the validators is stored, with its dimensions', async () => {
      const badge = await new Badge({ label: 'ok', icon: { name: 'ok.gif', content: gifHeader(64, 2) } }).save();
      assert.deepEqual([badge.iconWidth, badge.iconHeight], [64, 2]);
      assert.equal(await storage.exists('icons/ok.gif'), true);
    });

    test('assigned in code, in memory or as a bare Buffer: refused, nothing stored or written', async () => {
      await refused(
        () => new Badge({ label: 'wide', icon: { name: 'wide.gif', content: gifHeader(100, 2) } }).save(),
        '100×2',
        'iconWidth',
      );
      await refused(() => new Badge({ label: 'flat', icon: gifHeader(8, 1) }).save(), '8×1', 'iconHeight');
      // Judged at validation, and again where it is stored: skipping validation skips neither.
      await refused(
        () => new Badge({ label: 'wide', icon: gifHeader(100, 2) }).save({ validateBeforeSave: false }),
        '100×2',
        'iconWidth',
      );
      assert.equal(await raw('wide'), null);
      assert.equal(await raw('flat'), null);
    });

    test('assigned in code as a stream: refused from its head, nothing stored or written', async () => {
      const wide = Buffer.concat([gifHeader(300, 300), Buffer.alloc(200_000)]);
      await refused(
        () => new Badge({ label: 'streamed', icon: { name: 'big.gif', content: Readable.from([wide]) } }).save(),
        '300×300',
        'iconWidth',
      );
      assert.equal(await raw('streamed'), null);
    });

    test('replacing the image of a stored document: refused, the document keeps what it had', async () => {
      const badge = await Badge.findOne({ label: 'ok' }).orFail();
      badge.set('icon', { name: 'wider.gif', content: gifHeader(65, 2) });
      await refused(() => badge.save(), '65×2', 'iconWidth');
      await refused(() => fieldFile(badge, 'icon').save('wider.gif', gifHeader(65, 2)), '65×2', 'iconWidth');
      const stored = await raw('ok');
      assert.deepEqual([stored?.['icon'], stored?.['iconWidth'], stored?.['iconHeight']], ['icons/ok.gif', 64, 2]);
    });

    test('in a subdocument, single or in a list: refused the same way, nothing stored or written', async () => {
      const wide = { name: 'wide.gif', content: gifHeader(100, 2) };
      const before = { ...(await storedCounts(storage)), sheets: await Sheet.countDocuments() };
      for (const sheet of [{ cover: { icon: wide } }, { stickers: [{ icon: gifHeader(2, 2) }, { icon: wide }] }]) {
        // Mongoose reports a subdocument's refusal in the parent's ValidationError, under the subdocument's path.
        await assert.rejects(new Sheet({ label: 'wide', ...sheet }).save(), (err: Error) => {
          assert.equal(err.name, 'ValidationError');
          const [path, refusal] = Object.entries((err as Error & { errors: Record<string, Error> }).errors)[0] ?? [];
          assert.equal(path, Object.keys(sheet)[0]);
          assert.ok(refusal instanceof InvalidFileContent, String(refusal));
          assert.match(refusal.message, /^icon: the image is 100×2, which the schema refuses: .*iconWidth/);
          return true;
        });
      }
      assert.deepEqual({ ...(await storedCounts(storage)), sheets: await Sheet.countDocuments() }, before);
    });

    test('storeUpload (the admin’s way in): refused the same way, nothing stored', async () => {
      await refused(() => storeUpload(Badge, 'icon', 'wide.gif', gifHeader(100, 2)), '100×2', 'iconWidth');
      const upload = await storeUpload(Badge, 'icon', 'fine.gif', gifHeader(10, 10));
      assert.deepEqual(upload.dimensions, { width: 10, height: 10, type: 'gif' });
    });
  });
}
