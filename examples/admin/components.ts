// The example's custom AdminJS components. AdminJS bundles them (rollup and
// babel) into .adminjs/ before the first page: see bundle.ts.
import { fileURLToPath } from 'node:url';
import { ComponentLoader } from 'adminjs';
import { showMigrationErrors } from '../../admin/index.js';

const file = (name: string): string => fileURLToPath(new URL(`./components/${name}`, import.meta.url));

export const componentLoader = new ComponentLoader();
// djongoose's own: a drifted document's MigrationError on its page, a badge in the list.
showMigrationErrors(componentLoader);

/** Component names for resource options' `components: { list, show, edit }`. */
export const Components = {
  UploadEdit: componentLoader.add('DjongooseUploadEdit', file('upload-edit.tsx')),
  Thumbnail: componentLoader.add('DjongooseThumbnail', file('thumbnail.tsx')),
  JsonEdit: componentLoader.add('DjongooseJsonEdit', file('json-edit.tsx')),
  JsonShow: componentLoader.add('DjongooseJsonShow', file('json-show.tsx')),
} as const;
