// What an ImageField says when content is no image it can read: why (in
// words, not image-size's "unsupported file type: undefined") and which
// formats are accepted, read from image-size's own list.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { types } from 'image-size';
import { InvalidFileContent } from '../../storage/index.js';
import { ACCEPTED_IMAGE_TYPES, attempt, imageDimensions } from '../../storage/image.js';
import { gifHeader, PNG_1x1 } from '../helpers/storage-sources.js';

/** The message imageDimensions throws for `bytes`. */
function refusal(bytes: Uint8Array, fileName = 'evil.png'): string {
  try {
    imageDimensions(bytes, 'avatar', fileName);
  } catch (err) {
    assert.ok(err instanceof InvalidFileContent, String(err));
    assert.equal(err.fileName, fileName);
    return err.message;
  }
  return assert.fail(`${fileName} was accepted`);
}

describe('an ImageField refusal says what was wrong and what is accepted', () => {
  test('bytes of no known format: image-size found none; never "undefined"', () => {
    for (const bytes of [Buffer.from('<html><script>alert(1)</script></html>'), Buffer.from('not an image')]) {
      const message = refusal(bytes);
      assert.equal(
        message,
        `avatar: "evil.png" is not an image djongoose can read (image-size found no known format); ` +
          `accepted: ${ACCEPTED_IMAGE_TYPES.join(', ')}.`,
      );
      assert.doesNotMatch(message, /undefined/);
    }
  });

  test('the accepted list is image-size’s formats but SVG, common ones first', () => {
    assert.deepEqual(ACCEPTED_IMAGE_TYPES.slice(0, 4), ['png', 'jpeg', 'gif', 'webp']);
    for (const type of types.filter((t) => t !== 'svg' && t !== 'jpg' && t !== 'jxl-stream')) {
      assert.ok(
        ACCEPTED_IMAGE_TYPES.some((shown) => shown.split(' ')[0] === type),
        `${type} is missing from ${ACCEPTED_IMAGE_TYPES.join(', ')}`,
      );
    }
    assert.ok(!ACCEPTED_IMAGE_TYPES.includes('svg'));
    assert.equal(new Set(ACCEPTED_IMAGE_TYPES).size, ACCEPTED_IMAGE_TYPES.length, 'each format once');
  });

  test('SVG, a header without a size, a damaged header: each says which', () => {
    assert.match(
      refusal(Buffer.from('<svg width="1" height="1"/>'), 'x.svg'),
      /\(SVG is not accepted: .*\); accepted:/,
    );
    assert.match(refusal(gifHeader(0, 0), 'x.gif'), /\(its GIF header gives no width and height\); accepted: png,/);
    const jpegStart = Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex');
    assert.match(refusal(jpegStart, 'x.jpg'), /\(its header is damaged or cut short; image-size says: .+\); accepted:/);
  });

  test('a head that may still become an image waits for more bytes; no known format fails at once', () => {
    const jpegStart = Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex');
    assert.deepEqual(attempt(jpegStart, false), { retry: true });
    assert.deepEqual(attempt(Buffer.from('plain text'), false), { fail: 'image-size found no known format' });
    assert.deepEqual(attempt(PNG_1x1, true), { ok: { width: 1, height: 1, type: 'png' } });
  });
});
