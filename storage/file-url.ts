// A stored name's URL: the storage's baseUrl and the name, each segment
// URL-encoded, the path serve() answers in both layouts.
import { ImproperlyConfigured } from '../core/errors.js';
import { placeOf } from './layout.js';
import { cleanPath } from './names.js';
import type { ResolvedStorageOptions } from './options.js';

/**
 * `baseUrl` followed by the URL-encoded name (`/` kept). Without a baseUrl it
 * raises {@link ImproperlyConfigured}; a name that cannot be stored raises
 * SuspiciousFileOperation, never a URIError.
 *
 * @example
 * ```ts
 * fileUrl(resolveStorageOptions({ collection: 'myfiles', baseUrl: '/media/' }), 'a b/c?.png'); // '/media/a%20b/c%3F.png'
 * ```
 */
export function fileUrl({ baseUrl, collection, location, layout }: ResolvedStorageOptions, name: string): string {
  if (baseUrl === undefined) {
    throw new ImproperlyConfigured(
      `GridFSStorage(${JSON.stringify(collection)}).url(): this storage has no baseUrl, so its files have no URL. ` +
        'Pass { baseUrl: \'/media/\' } (ending in "/") and serve it with storage.serve().',
    );
  }
  // djongo's layout refuses more names (dots in directories); an 'auto' storage learns its layout later.
  if (layout === 'djongo') placeOf('djongo', collection, location, name);
  return baseUrl + cleanPath(name).split('/').map(encodeURIComponent).join('/');
}
