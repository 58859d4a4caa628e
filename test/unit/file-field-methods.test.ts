// FileField's per-class differences are methods, so the modules under it take
// its contract (file-path.ts), not the class; that storage/ has no import
// loop is test/unit/architecture.test.ts's.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FileField, GridFSStorage, ImageField } from '../../storage/index.js';
import { isFilePath } from '../../storage/file-path.js';

describe('FileField and ImageField differ by method, not by a test of their class', () => {
  const storage = new GridFSStorage({ collection: 'layoutfiles' });

  test('an ImageField names its dimension paths; a FileField has none', () => {
    const image = new ImageField('avatar', { storage, widthField: 'avatarWidth' });
    const file = new FileField('resume', { storage });
    const dimensions = { width: 64, height: 48, type: 'png' };
    assert.deepEqual(image.dimensionValues(dimensions), { avatarWidth: 64 });
    assert.deepEqual(
      new ImageField('avatar', { storage, widthField: 'w', heightField: 'h' }).dimensionValues(dimensions),
      { w: 64, h: 48 },
    );
    assert.deepEqual(file.dimensionValues(dimensions), {});
    assert.equal(image.imageOnly, true);
    assert.equal(file.imageOnly, false);
  });

  test('isFilePath knows both field classes by their contract, and nothing else', () => {
    assert.equal(isFilePath(new FileField('resume', { storage })), true);
    assert.equal(isFilePath(new ImageField('avatar', { storage })), true);
    for (const other of [null, 'avatar', { generateFilename: 'x' }, new GridFSStorage({ collection: 'x' })]) {
      assert.equal(isFilePath(other), false, String(other));
    }
  });
});
