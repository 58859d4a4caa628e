// One migrate at a time per database: a lock document with an expiry, taken
// by an insert (the unique _id is the only atomic step every server
// offers: FerretDB v1.24's findAndModify is not atomic under concurrent
// writers). The holder extends the expiry while it works. A holder that
// died frees the lock when it expires, or at once when it was a process of
// this machine that no longer exists.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { mongo } from 'mongoose';
import { MigrationLockedError } from '../../core/errors.js';
import { isDuplicateKey } from '../../core/values.js';
import { LOCK_COLLECTION, MIGRATIONS_COLLECTION } from './recorder.js';

/** How long a run waits for the lock, and how long a lock lasts without renewal. */
export interface LockOptions {
  /** Milliseconds to wait for another run to finish before refusing. */
  readonly wait: number;
  /** Milliseconds a lock lasts unless its holder renews it. */
  readonly ttl: number;
}

interface LockDocument {
  _id: string;
  owner: string;
  host: string;
  pid: number;
  expiresAt: Date;
}

const LOCK_ID = 'lock';
const POLL_MS = 100;

function processGone(holder: LockDocument): boolean {
  if (holder.host !== os.hostname() || holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (err) {
    return (err as { code?: unknown }).code === 'ESRCH';
  }
}

async function acquire(locks: mongo.Collection<LockDocument>, owner: string, options: LockOptions): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      await locks.insertOne({
        _id: LOCK_ID,
        owner,
        host: os.hostname(),
        pid: process.pid,
        expiresAt: new Date(Date.now() + options.ttl),
      });
      return;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const holder = await locks.findOne({ _id: LOCK_ID });
    if (holder && (holder.expiresAt.getTime() < Date.now() || processGone(holder))) {
      // Only this holder's document: a run that took the lock meanwhile keeps it.
      await locks.deleteOne({ _id: LOCK_ID, owner: holder.owner });
      continue;
    }
    const waited = Date.now() - started;
    if (holder && waited >= options.wait) {
      throw new MigrationLockedError(
        `Another migrate (pid ${holder.pid} on ${holder.host}) holds the migration lock until ` +
          `${holder.expiresAt.toISOString()}; waited ${options.wait} ms. Nothing was run; retry when it is done, ` +
          'or raise --lock-wait.',
        MIGRATIONS_COLLECTION,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Runs `work` holding the database's migration lock: waits up to
 * `options.wait` ms for another run to release it, then raises
 * MigrationLockedError with nothing run.
 *
 * @example
 * ```ts
 * await withMigrationLock(db, { wait: 60_000, ttl: 30_000 }, () => applyPlan());
 * ```
 */
export async function withMigrationLock<T>(db: mongo.Db, options: LockOptions, work: () => Promise<T>): Promise<T> {
  const locks = db.collection<LockDocument>(LOCK_COLLECTION);
  const owner = randomUUID();
  await acquire(locks, owner, options);
  const renew = setInterval(
    () =>
      void locks
        .updateOne({ _id: LOCK_ID, owner }, { $set: { expiresAt: new Date(Date.now() + options.ttl) } })
        .catch(() => undefined),
    Math.max(options.ttl / 3, 50),
  );
  renew.unref();
  const release = async () => {
    clearInterval(renew);
    await locks.deleteOne({ _id: LOCK_ID, owner });
  };
  let result: T;
  try {
    result = await work();
  } catch (err) {
    // The error says why the work stopped; a release that fails too (the server gone) must not
    // replace it. The lock is freed anyway: it expires, and a run on this host takes it at once.
    await release().catch(() => undefined);
    throw err;
  }
  await release();
  return result;
}
