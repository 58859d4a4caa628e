// Each error class's JSDoc example shows the message it really produces: a
// real throw site, called here, must match the example's "// Name: …" line.
// Throw sites that need a server are checked in test/e2e/mongoose-errors.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import { compileFilter, connect, filterSet, GridFSStorage } from '../../index.js';
import { pageNumberOf } from '../../filterset/paginate.js';
import { documentError } from '../../plugins/enforce-schema/errors.js';
import { imageDimensions } from '../../storage/image.js';
import { checkContentType } from '../../storage/content-type.js';
import { duplicateKeyAsIntegrity } from '../../manager/duplicate-key.js';
import { assertMatchesExample, documented, errorClasses } from '../helpers/error-examples.js';
import { entryModel, entrySchema } from '../helpers/models.js';

const Entry = entryModel(mongoose.createConnection());
const scope = { schema: entrySchema(), modelName: 'Entry' };
const storage = new GridFSStorage({ collection: 'fs', connection: mongoose.createConnection() });

/** Runs `block` and returns what it threw, synchronously or by rejecting. */
async function thrown(block: () => unknown): Promise<unknown> {
  try {
    await block();
  } catch (err) {
    return err;
  }
  return assert.fail('nothing was thrown');
}

// Each documented class, and a real throw site for it that needs no server.
const pure: Record<string, () => unknown> = {
  ImproperlyConfigured: () => connect({ ENGINE: 'djongo' } as Parameters<typeof connect>[0]),
  FieldError: () => compileFilter(scope, { headlin: 'x' }),
  ValidationError: () => compileFilter(scope, { pk: 'not-an-id' }),
  UnknownMongoMethod: () => (Entry.objects as unknown as Record<string, unknown>)['mongo_insert_onee'],
  MigrationError: () => {
    throw documentError('Entry', '64b7f0c2a1b2c3d4e5f60718', { missing: ['description'], unknown: ['rating'] });
  },
  NotSupportedError: () => Entry.objects.orderBy('headline').slice(0, 1).delete(),
  FilterError: () =>
    filterSet(Entry, { fields: { headline: ['exact'], rating: ['in'] } }).fromQuery({
      rating__in: '3,x',
      headlin: 'Hey',
    }),
  PageNotAnInteger: () => pageNumberOf('abc'),
  SuspiciousFileOperation: () => storage.save('../etc/passwd', 'x'),
  InvalidFileContent: () => imageDimensions(Buffer.from('not an image'), 'avatar', 'me.png'),
  InvalidContentType: () => checkContentType('text/plain\r\nX: y', 'a.txt'),
  RelationError: () =>
    compileFilter(
      {
        schema: new mongoose.Schema({ authors: [{ type: mongoose.Schema.Types.ObjectId, ref: 'Author' }] }),
        modelName: 'Entry',
      },
      { authors__name: 'x' },
    ),
  IntegrityError: () => {
    // The server's refusal, as the driver reports it: checked end to end in django-get-or-create.
    throw duplicateKeyAsIntegrity({ code: 11000, keyPattern: { headline: 1 } }, 'Entry');
  },
};
// Thrown only after a server answered: checked end to end (ConcurrentUpdateError in updates-pipeline-fallback).
const onServer = [
  'MultipleObjectsReturned',
  'EmptyPage',
  'FileNotFound',
  'InvalidRange',
  'ProtectedError',
  'ConcurrentUpdateError',
  // Checked in test/e2e/migrations-operations and migrations-runs.
  'IrreversibleError',
  'UnconvertibleValuesError',
  'MigrationLockedError',
  'AnswerRequired',
];

describe("the errors' JSDoc examples show the messages the code throws", () => {
  for (const [name, block] of Object.entries(pure)) {
    test(name, async () => {
      assertMatchesExample(await thrown(block), name);
    });
  }

  test('every class with a message in its example is checked against a throw site', () => {
    assert.deepEqual([...documented.keys()].sort(), [...Object.keys(pure), ...onServer].sort());
    // The rest show how to catch them, not a message: no throw site words one
    // (DoesNotExist's text is Mongoose's orFail style, InvalidPage a base class).
    assert.deepEqual(
      errorClasses.filter((name) => !documented.has(name)),
      ['DjongooseError', 'OperationalError', 'DoesNotExist', 'InvalidPage', 'FileTooLarge', 'ClientAborted'],
    );
  });
});
