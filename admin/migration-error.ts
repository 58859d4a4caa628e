// A drifted document's MigrationError on screen. The record carries it as
// its base error, which AdminJS's pages do not display, so the resource of a
// strict model also has one read-only virtual property holding the error's
// message, empty for a document that matches its model. djongoose ships the component that
// renders it (a red box on the show page, a "drifted" badge in the list);
// an app registers it once in its ComponentLoader, and every djongoose
// resource then uses it. Without it the message is still shown, as plain
// text at the end of the show page.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AdminJS, ComponentLoader, ResourceOptions } from 'adminjs';
import { ImproperlyConfigured, MigrationError } from '../core/errors.js';
import type { PropertySpec } from './property.js';

/** The record param (and virtual property) holding a drifted document's MigrationError message. */
export const MIGRATION_ERROR_PATH = '__migrationError';

/** The name {@link showMigrationErrors} registers the component under. */
export const MIGRATION_ERROR_COMPONENT = 'DjongooseMigrationError';

const FILE = 'migration-error.tsx';

// This module's folder: the source's admin/ when run from TypeScript, and
// dist/admin/ in the package (tsup.config.ts copies the component there);
// the CommonJS build has no import.meta.url.
function componentFile(): string {
  const here = typeof __dirname === 'string' ? __dirname : path.dirname(fileURLToPath(import.meta.url));
  return path.join(here, 'components', FILE);
}

/**
 * Registers djongoose's MigrationError component in the app's
 * ComponentLoader; every djongoose resource of an AdminJS built with that
 * loader then shows a drifted document's MigrationError on its show page
 * and marks its row in the list. Returns the component's name.
 *
 * @example
 * ```ts
 * const componentLoader = new ComponentLoader();
 * showMigrationErrors(componentLoader); // 'DjongooseMigrationError'
 * const admin = new AdminJS({ componentLoader, resources: [modelAdmin(Entry, { listDisplay: ['headline'] })] });
 * ```
 */
export function showMigrationErrors(loader: ComponentLoader): string {
  const file = componentFile();
  if (!existsSync(file)) {
    throw new ImproperlyConfigured(
      `djongoose/admin: the MigrationError component is missing at ${file}; reinstall djongoose (the package ships it beside admin/index.js).`,
    );
  }
  return loader.add(MIGRATION_ERROR_COMPONENT, file);
}

/**
 * Whether the model refuses a drifted document (ENFORCE_SCHEMA strict, by
 * its plugin option or its connection), asked the way a page read asks:
 * `hydrate` of a document with a field the model does not know, and none of
 * its own, raises MigrationError only in strict mode.
 *
 * @example
 * ```ts
 * refusesDrift(StrictBlog); // true
 * ```
 */
export function refusesDrift(model: { hydrate(raw: Record<string, unknown>): unknown }): boolean {
  try {
    model.hydrate({ [MIGRATION_ERROR_PATH]: true });
    return false;
  } catch (err) {
    return err instanceof MigrationError;
  }
}

/** The virtual property's spec: text, never written, sorted or filtered. */
export function migrationErrorSpec(): PropertySpec {
  return {
    name: MIGRATION_ERROR_PATH,
    path: MIGRATION_ERROR_PATH,
    type: 'textarea',
    isSortable: false,
    isEditable: false,
    kind: 'migrationError',
    position: 0,
  };
}

function registered(admin: AdminJS): boolean {
  return Object.hasOwn(admin.componentLoader.getComponents(), MIGRATION_ERROR_COMPONENT);
}

/**
 * The resource options with the MigrationError property placed: first in
 * the list and show pages, rendered by the component when the app
 * registered it; else at the end of the show page only, as text.
 *
 * @example
 * ```ts
 * super.assignDecorator(admin, withMigrationErrors(admin, options));
 * ```
 */
export function withMigrationErrors(admin: AdminJS, options: ResourceOptions): ResourceOptions {
  const component = registered(admin);
  const ours = component
    ? {
        isVisible: { show: true, list: true, edit: false, filter: false },
        components: { show: MIGRATION_ERROR_COMPONENT, list: MIGRATION_ERROR_COMPONENT },
        // Before the title (-1) and the id (0), AdminJS's first places.
        position: -2,
      }
    : { isVisible: { show: true, list: false, edit: false, filter: false }, position: Number.MAX_SAFE_INTEGER };
  const given = options.properties?.[MIGRATION_ERROR_PATH];
  const place = (list: string[] | undefined): string[] | undefined => {
    if (!list?.length || list.includes(MIGRATION_ERROR_PATH)) return list;
    return component ? [MIGRATION_ERROR_PATH, ...list] : [...list, MIGRATION_ERROR_PATH];
  };
  const showProperties = place(options.showProperties);
  const listProperties = component ? place(options.listProperties) : options.listProperties;
  return {
    ...options,
    ...(showProperties ? { showProperties } : {}),
    ...(listProperties ? { listProperties } : {}),
    properties: { ...options.properties, [MIGRATION_ERROR_PATH]: { ...ours, ...given } },
  };
}
