// The commands a block of code sends, from the driver's own command
// monitoring: the way tests count round trips and see what went on the wire.
import type { Connection, mongo } from 'mongoose';

/** One command as the driver sent it. */
export interface SentCommand {
  readonly name: string;
  readonly command: mongo.Document;
}

/**
 * Runs `block` and returns the commands the connection's client sent meanwhile.
 * The connection must be opened with `monitorCommands: true`.
 */
export async function commandsDuring(
  conn: Connection,
  block: () => Promise<unknown> | unknown,
): Promise<SentCommand[]> {
  const seen: SentCommand[] = [];
  const client = conn.getClient();
  const listener = (e: mongo.CommandStartedEvent) => seen.push({ name: e.commandName, command: e.command });
  client.on('commandStarted', listener);
  try {
    await block();
  } finally {
    client.off('commandStarted', listener);
  }
  return seen;
}
