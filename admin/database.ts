// A Mongoose connection as an AdminJS database: every model on it is a resource.
import mongoose, { type Connection } from 'mongoose';
import { BaseDatabase } from 'adminjs';
import { Resource } from './resource.js';

/**
 * A Mongoose connection as an AdminJS database: `new AdminJS({ databases: [conn] })`
 * lists each of its models.
 *
 * @example
 * ```ts
 * AdminJS.registerAdapter({ Database, Resource });
 * const admin = new AdminJS({ databases: [conn] }); // Entry, Author, … as resources
 * ```
 */
export class Database extends BaseDatabase {
  readonly connection: Connection;

  /** Whether AdminJS should use this adapter for `raw`: a Mongoose connection. */
  static override isAdapterFor(raw: unknown): boolean {
    return raw instanceof mongoose.Connection;
  }

  constructor(connection: Connection) {
    super(connection);
    this.connection = connection;
  }

  override resources(): Resource[] {
    return Object.values(this.connection.models).map((model) => new Resource(model));
  }
}
