// `node --import tsx test/bench/gridfs.ts`: GridFSStorage against the
// driver's raw GridFSBucket on the same server, in one run: upload and
// download throughput of a 64 MiB file (interleaved rounds, medians, ratio
// ours ÷ raw, target ≥ 0.9), then peak RSS growth while 256 MiB goes through
// save() and open() in a fresh child process (target ≤ 64 MiB).
// MONGODB_URI: that server only; else FerretDB and mongo-java-server.
import { execFile } from 'node:child_process';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import mongoose from 'mongoose';
import { GridFSStorage } from '../../storage/index.js';
import { ROOT } from '../harness/paths.js';
import { abbaRound, spread, table } from './measure.js';
import { onServers } from './on-servers.js';

const run = promisify(execFile);
const MIB = 1024 * 1024;
const SIZE = 64 * MIB;
const ROUNDS = Number(process.env['GRIDFS_BENCH_ROUNDS'] ?? '5');
const RSS_MIB = Number(process.env['GRIDFS_BENCH_RSS_MIB'] ?? '256');
const TARGET = 0.9;

// The file, as 64 KiB pieces made once: both sides read the same chunks.
const pieces = Array.from({ length: SIZE / (64 * 1024) }, (_, i) => Buffer.alloc(64 * 1024, i & 0xff));
const source = (): Readable => Readable.from(pieces);
async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const chunk of stream) void chunk;
}

interface Row {
  readonly name: string;
  readonly oursMiBs: number;
  readonly rawMiBs: number;
  readonly ratio: number;
}

async function throughput(uri: string): Promise<Row[]> {
  const conn = await mongoose.createConnection(uri, { dbName: `djongoose_bench_gridfs_${process.pid}` }).asPromise();
  try {
    const storage = new GridFSStorage({ collection: 'ours', connection: conn });
    const raw = new mongoose.mongo.GridFSBucket(conn.db!, { bucketName: 'raw' });
    const timed = async (fn: () => Promise<unknown>): Promise<number> => {
      const started = performance.now();
      await fn();
      return SIZE / MIB / ((performance.now() - started) / 1000);
    };
    const up = { ours: [] as number[], raw: [] as number[], ratio: [] as number[] };
    const down = { ours: [] as number[], raw: [] as number[], ratio: [] as number[] };
    for (let round = 0; round <= ROUNDS; round++) {
      let oursName = '';
      let rawId: mongoose.Types.ObjectId | undefined;
      const oursUp = () => timed(async () => (oursName = await storage.save('bench.bin', source())));
      const rawUp = () =>
        timed(async () => {
          const stream = raw.openUploadStream('bench.bin');
          await pipeline(source(), stream);
          rawId = stream.id as mongoose.Types.ObjectId;
        });
      const [a, b] = await abbaRound(round, oursUp, rawUp);
      const oursDown = () => timed(async () => drain(await storage.open(oursName)));
      const rawDown = () => timed(() => drain(raw.openDownloadStream(rawId!)));
      const [c, d] = await abbaRound(round, oursDown, rawDown);
      await storage.delete(oursName);
      await raw.delete(rawId!);
      if (round === 0) continue; // warm-up
      up.ours.push(a);
      up.raw.push(b);
      up.ratio.push(a / b);
      down.ours.push(c);
      down.raw.push(d);
      down.ratio.push(c / d);
    }
    const row = (name: string, s: typeof up): Row => ({
      name,
      oursMiBs: spread(s.ours).median,
      rawMiBs: spread(s.raw).median,
      ratio: spread(s.ratio).median,
    });
    return [
      row('upload 64 MiB (save vs openUploadStream)', up),
      row('download 64 MiB (open vs openDownloadStream)', down),
    ];
  } finally {
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  }
}

async function rss(uri: string): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--expose-gc', 'test/helpers/storage-rss.ts'], {
    cwd: ROOT,
    env: { ...process.env, DJONGOOSE_RSS_URI: uri, SIZE_MIB: String(RSS_MIB) },
    timeout: 10 * 60_000,
  });
  const r = JSON.parse(stdout.trim().split('\n').pop()!) as {
    peakGrowthMiB: number;
    uploadMs: number;
    downloadMs: number;
    intact: boolean;
  };
  return (
    `RSS: ${RSS_MIB} MiB through save() and open(): peak growth ${r.peakGrowthMiB.toFixed(1)} MiB ` +
    `(target ≤ 64; ${r.peakGrowthMiB <= 64 ? 'met' : 'MISSED'}), upload ${(RSS_MIB / (r.uploadMs / 1000)).toFixed(1)} MiB/s, ` +
    `download ${(RSS_MIB / (r.downloadMs / 1000)).toFixed(1)} MiB/s, bytes intact: ${String(r.intact)}`
  );
}

async function section(label: string, uri: string): Promise<void> {
  console.log(`\n=== GridFS on ${label} ===`);
  const rows = await throughput(uri);
  console.log(
    table(
      ['operation', 'ours MiB/s', 'raw MiB/s', 'ours ÷ raw'],
      rows.map((r) => [
        r.name,
        r.oursMiBs.toFixed(1),
        r.rawMiBs.toFixed(1),
        `${r.ratio.toFixed(3)}${r.ratio >= TARGET ? '' : ' (below 0.9)'}`,
      ]),
    ),
  );
  console.log(await rss(uri));
}

process.exitCode = (await onServers(section)) ? 0 : 1;
