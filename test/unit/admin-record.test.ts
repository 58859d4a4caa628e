// The admin record's params never hold an upload: the parser's file object
// carries the server's temporary path, and AdminJS sends a refused record's
// params back to the browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { withoutUploads } from '../../admin/record.js';

class ParsedFile {
  constructor(
    readonly path: string,
    readonly name: string,
  ) {}
}

test('withoutUploads drops parsed files at any depth and keeps everything else', () => {
  const avatar = new ParsedFile('/tmp/upload_1', 'me.png');
  const params = {
    name: 'Ann',
    avatar,
    blog: { name: 'Beatles', logo: new ParsedFile('/tmp/upload_2', 'logo.png') },
    gallery: [new ParsedFile('/tmp/upload_3', 'a.png'), 'stored/b.png'],
    // Text fields the browser sent: no server path of ours, and not an upload.
    forged: { path: '/etc/passwd', name: 'x.png' },
  };
  assert.deepEqual(withoutUploads(params), {
    name: 'Ann',
    blog: { name: 'Beatles' },
    gallery: ['stored/b.png'],
    forged: { path: '/etc/passwd', name: 'x.png' },
  });
  assert.equal(params.avatar, avatar, 'the params given are left as they were');
});

test("withoutUploads drops the copy AdminJS's param converter makes of a dotted upload under its parent", () => {
  const logo = new ParsedFile('/tmp/upload_4', 'logo.png');
  // prepareParams reads `blog` through flat.get: the file's own fields land in a plain object.
  const params = {
    'blog.name': 'Beatles',
    'blog.logo': logo,
    blog: {
      name: 'Beatles',
      logo: { path: '/tmp/upload_4', name: 'logo.png', _writeStream: { path: '/tmp/upload_4' } },
    },
    'gallery.0': new ParsedFile('/tmp/upload_5', 'a.png'),
    gallery: [{ path: '/tmp/upload_5', name: 'a.png' }, 'stored/b.png'],
  };
  const kept = withoutUploads(params);
  assert.ok(!JSON.stringify(kept).includes('/tmp/upload_'), JSON.stringify(kept));
  assert.deepEqual(kept, { 'blog.name': 'Beatles', blog: { name: 'Beatles' }, gallery: ['stored/b.png'] });
});

test('a pending upload never shows its temporary path when quoted in a message', async () => {
  const { PendingUpload } = await import('../../admin/uploads.js');
  const pending = new PendingUpload(new ParsedFile('/tmp/upload_6', 'me.png'));
  assert.equal(inspect(pending), 'PendingUpload("me.png")');
  assert.equal(JSON.stringify({ avatar: pending }), '{"avatar":{"name":"me.png"}}');
  assert.ok(!String(inspect({ deep: [pending] })).includes('/tmp/'));
});
