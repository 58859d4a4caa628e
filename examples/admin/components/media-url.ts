// Where storage.serve() answers for a stored name: the property's
// `custom.mediaUrl` (set by examples/admin/resources.ts) plus the name, each
// segment encoded, so a name cannot leave the media prefix.
import type { BasePropertyJSON } from 'adminjs';

/**
 * The URL of a stored file's name under the property's media prefix, or null when there is no name.
 *
 * @example
 * ```ts
 * mediaUrl({ custom: { mediaUrl: '/media/' } } as BasePropertyJSON, 'avatars/ann 1.png'); // '/media/avatars/ann%201.png'
 * ```
 */
export function mediaUrl(property: BasePropertyJSON, name: unknown): string | null {
  if (typeof name !== 'string' || name === '') return null;
  const segments = name.split('/');
  // Stored names are cleaned by the storage; a dot segment would still move the URL off the prefix.
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return null;
  const custom = property.custom as { mediaUrl?: unknown } | undefined;
  const base = typeof custom?.mediaUrl === 'string' ? custom.mediaUrl : '/media/';
  return base + segments.map(encodeURIComponent).join('/');
}
