/**
 * djongoose: Djongo's features for Mongoose apps.
 *
 * @example
 * ```ts
 * import { connect } from 'djongoose';
 * const conn = await connect({ ENGINE: 'djongo', NAME: 'blog' });
 * ```
 * @packageDocumentation
 */
export * from './core/index.js';
export * from './plugins/index.js';
export * from './manager/index.js';
export * from './fields/index.js';
export * from './storage/index.js';
export * from './filterset/index.js';
