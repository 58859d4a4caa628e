// Type tests: each @ts-expect-error line must fail to compile, or tsc fails.
// Run by `npm run typecheck` and by test/unit/types.test.ts.
import { connect, connectionSettings, resolveSettings, type DjongoSettings } from '../../index.js';
import type { Connection } from 'mongoose';

// The seed dict compiles as it is.
export const seed: DjongoSettings = {
  ENGINE: 'djongo',
  NAME: 'your-db-name',
  ENFORCE_SCHEMA: false,
  CLIENT: {
    host: 'host-name or ip address',
    port: 27017,
    username: 'db-username',
    password: 'password',
    authSource: 'db-name',
    authMechanism: 'SCRAM-SHA-1',
  },
  LOGGING: { version: 1, loggers: { djongo: { level: 'DEBUG', propagate: false } } },
};

export async function typed(): Promise<Connection> {
  const conn = await connect(seed);
  const enforce: boolean | undefined = connectionSettings(conn)?.enforceSchema;
  void enforce;
  return conn;
}

// @ts-expect-error ENGINE is 'djongo' or 'djongoose'
resolveSettings({ ENGINE: 'sqlite3', NAME: 'x' });
// @ts-expect-error ENFORCE_SCHEMA is a boolean
resolveSettings({ NAME: 'x', ENFORCE_SCHEMA: 'yes' });
// @ts-expect-error unknown top-level key
resolveSettings({ NAME: 'x', ENFORCE_SHEMA: true });
// @ts-expect-error port is a number
resolveSettings({ NAME: 'x', CLIENT: { port: '27017' } });
// @ts-expect-error authMechanism is one the driver knows
resolveSettings({ NAME: 'x', CLIENT: { authMechanism: 'SCRAM-SHA-512' } });
// @ts-expect-error pass-through options keep the driver's types
resolveSettings({ NAME: 'x', CLIENT: { maxPoolSize: 'ten' } });
// @ts-expect-error LOGGING level is a log level
resolveSettings({ NAME: 'x', LOGGING: { level: 'LOUD' } });
// @ts-expect-error a logger needs a debug method
resolveSettings({ NAME: 'x', LOGGING: { logger: { info() {} } } });
// @ts-expect-error connectionSettings takes a Connection
connectionSettings('blog');
