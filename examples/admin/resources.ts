// The example's admin pages, in Django's ModelAdmin words (modelAdmin), plus
// the custom components for the avatar and the JSON settings.
import type { PropertyOptions, ResourceWithOptions } from 'adminjs';
import { modelAdmin } from '../../admin/index.js';
import { Components } from './components.js';
import type { AdminModels } from './models.js';

function withProperties(
  resource: ResourceWithOptions,
  properties: Record<string, PropertyOptions>,
): ResourceWithOptions {
  const merged: Record<string, PropertyOptions> = { ...resource.options.properties };
  for (const [path, options] of Object.entries(properties)) merged[path] = { ...merged[path], ...options };
  return { ...resource, options: { ...resource.options, properties: merged } };
}

/**
 * The Entry, Author and Reader pages.
 *
 * @example
 * ```ts
 * const admin = new AdminJS({ rootPath: '/admin', componentLoader, resources: adminResources(models) });
 * ```
 */
export function adminResources({ Entry, Author, Reader }: AdminModels): ResourceWithOptions[] {
  const entries = modelAdmin(Entry, {
    listDisplay: ['id', 'headline', 'blog.name'],
    listFilter: ['blog.name', 'headline'],
    searchFields: ['headline', 'blog.name'],
    ordering: ['-id'],
    readonlyFields: ['id'],
    listPerPage: 20,
  });
  const authors = modelAdmin(Author, {
    listDisplay: ['name', 'avatar'],
    listFilter: ['name'],
    searchFields: ['name'],
    ordering: ['name'],
    readonlyFields: ['avatarWidth', 'avatarHeight'],
  });
  const readers = modelAdmin(Reader, { listDisplay: ['name', 'email'], searchFields: ['name'], ordering: ['name'] });
  return [
    entries,
    withProperties(authors, {
      avatar: {
        components: { edit: Components.UploadEdit, list: Components.Thumbnail, show: Components.Thumbnail },
        custom: { mediaUrl: '/media/', image: true },
      },
      settings: { components: { edit: Components.JsonEdit, show: Components.JsonShow } },
    }),
    readers,
  ];
}
