// djongoose/plugins: the Mongoose schema plugins. The manager, enforceSchema
// and autoIncrement plugins land here with their issues; until then this
// entry point exposes what they will read: the connection's settings.
export { connectionSettings } from '../core/connect.js';
export type { ConnectionSettings } from '../core/connect.js';
