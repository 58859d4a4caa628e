// Where a pipeline update (F() across fields) is computed, by the
// connection's PIPELINE_UPDATES setting: on the server, or in djongoose
// (update-fallback.ts), or on the server until it refuses pipeline updates
// and in djongoose from then on. What a client has refused is remembered per
// MongoClient (a WeakSet: it goes with the client), and noted once.
import type { Connection, Model } from 'mongoose';
import { NotSupportedError } from '../core/errors.js';
import { connectionNote, connectionSettings } from '../core/connect.js';
import { pipelineFallback, type FallbackOptions } from './update-fallback.js';
import { isPipelineRefusal } from './update-run.js';

const refusing = new WeakSet<object>();

function clientOf(connection: Connection): object | undefined {
  try {
    return connection.getClient();
  } catch {
    return undefined;
  }
}

function remember(connection: Connection, modelName: string): void {
  const client = clientOf(connection);
  if (!client || refusing.has(client)) return;
  refusing.add(client);
  connectionNote(connection)?.(
    `${modelName}: the server refused a pipeline update (F() across fields); djongoose computes pipeline updates ` +
      'itself on this connection from now on, per document with a compare-and-set (PIPELINE_UPDATES: auto).',
    { event: 'pipelineUpdateFallback', model: modelName },
  );
}

/**
 * Runs a pipeline update where the connection's PIPELINE_UPDATES says:
 * `send` sends it to the server (and turns a refusal into
 * NotSupportedError); 'client', or 'auto' once the server has refused one,
 * computes it in djongoose instead.
 *
 * @example
 * ```ts
 * await runPipelineUpdate(Entry, filter, [{ $set: { likes: '$views' } }], false, () => sendToServer());
 * ```
 */
export async function runPipelineUpdate<TRaw>(
  model: Model<TRaw>,
  filter: Readonly<Record<string, unknown>>,
  pipeline: readonly Record<string, unknown>[],
  upsert: boolean,
  send: () => Promise<number>,
  options: FallbackOptions = {},
): Promise<number> {
  const mode = connectionSettings(model.db)?.pipelineUpdates ?? 'auto';
  const client = clientOf(model.db);
  if (mode === 'client' || (mode === 'auto' && client && refusing.has(client))) {
    return pipelineFallback(model, filter, pipeline, upsert, options);
  }
  try {
    return await send();
  } catch (err) {
    if (mode !== 'auto' || !(err instanceof NotSupportedError) || !isPipelineRefusal(err.cause)) throw err;
    remember(model.db, model.modelName);
    return pipelineFallback(model, filter, pipeline, upsert, options);
  }
}
