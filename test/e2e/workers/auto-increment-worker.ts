// One of the R1 writers (counters-reliability.test.ts), a process of its own:
//   node --import tsx auto-increment-worker.ts <uri> <dbName> <collection> <count>
// Connects, prints READY, waits for GO on stdin, then inserts <count>
// documents through autoIncrement all at once: two fifths as concurrent
// single saves (one $inc: 1 each, the hardest case for the counter), the rest
// as concurrent insertMany and Model.create([...]) batches of 50, so that
// some 1,030 reservations per process race each other. Prints the ids it
// was given as one JSON line, then exits.
import { createInterface } from 'node:readline';
import mongoose from 'mongoose';
import { autoIncrement } from '../../../plugins/auto-increment/index.js';

const [uri, dbName, collection, countArg] = process.argv.slice(2);
if (!uri || !dbName || !collection || !countArg) throw new Error('usage: <uri> <dbName> <collection> <count>');
const count = Number(countArg);
const BATCH = 50;

const schema = new mongoose.Schema({ worker: Number, n: Number });
schema.plugin(autoIncrement);
const conn = await mongoose
  .createConnection(uri, { dbName, maxPoolSize: 100, serverSelectionTimeoutMS: 10_000 })
  .asPromise();
const Entry = conn.model('Entry', schema, collection);

const lines = createInterface({ input: process.stdin });
const go = new Promise<void>((resolve) => lines.on('line', (line) => line.trim() === 'GO' && resolve()));
process.stdout.write('READY\n');
await go;

// Three tenths in insertMany batches, three tenths in create([...]) batches, the rest one by one.
const docs = Array.from({ length: count }, (_, n) => ({ worker: process.pid, n }));
const batched = Math.floor((count * 3) / 10 / BATCH) * BATCH;
const inMany = docs.slice(0, batched);
const inCreate = docs.slice(batched, 2 * batched);
const single = docs.slice(2 * batched);
const chunks = <T>(list: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(list.length / BATCH) }, (_, i) => list.slice(i * BATCH, (i + 1) * BATCH));

const results = await Promise.all([
  ...chunks(inMany).map((chunk) => Entry.insertMany(chunk)),
  ...chunks(inCreate).map((chunk) => Entry.create(chunk)),
  ...single.map((doc) => Entry.create(doc).then((d) => [d])),
]);
const ids = results.flat().map((d) => d.get('id') as number);
process.stdout.write(`${JSON.stringify({ ids })}\n`);
lines.close();
await conn.close();
