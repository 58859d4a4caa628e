// Where a drifted document's MigrationError is shown, without a database:
// only a strict model's resource gets the MigrationError property; with
// djongoose's component registered it leads the list and show pages,
// without it it is text at the end of the show page; never editable,
// filterable or sortable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import mongoose from 'mongoose';
import AdminJS, { ComponentLoader, Filter } from 'adminjs';
import { enforceSchema, FilterError, manager, type Managed } from '../../index.js';
import {
  MIGRATION_ERROR_COMPONENT,
  MIGRATION_ERROR_PATH,
  modelAdmin,
  Resource,
  showMigrationErrors,
} from '../../admin/index.js';
import { refusesDrift, withMigrationErrors } from '../../admin/migration-error.js';

const conn = mongoose.createConnection();
interface Blog {
  name?: string | null;
  tagline?: string | null;
}
function blogModel(name: string, strict: boolean | undefined) {
  const schema = new mongoose.Schema<Blog>({ name: String, tagline: String });
  schema.plugin(manager);
  if (strict !== undefined) schema.plugin(enforceSchema, { strict });
  return conn.model<Blog, Managed<Blog>>(name, schema);
}
const Strict = blogModel('StrictBlog', true);
const Lax = blogModel('LaxBlog', false);
const Plain = blogModel('PlainBlog', undefined);

test('refusesDrift: true for a strict model only', () => {
  assert.deepEqual([Strict, Lax, Plain].map(refusesDrift), [true, false, false]);
});

test('only a strict model has the MigrationError property; it is no field', () => {
  const paths = (model: typeof Strict) => new Resource(model).properties().map((p) => p.name());
  assert.deepEqual(paths(Strict), [MIGRATION_ERROR_PATH, '_id', 'name', 'tagline']);
  assert.deepEqual(paths(Lax), ['_id', 'name', 'tagline']);
  const strict = new Resource(Strict);
  assert.ok(!strict.paths().includes(MIGRATION_ERROR_PATH));
  assert.equal(strict.property(MIGRATION_ERROR_PATH)?.isEditable(), false);
  assert.equal(strict.property(MIGRATION_ERROR_PATH)?.isSortable(), false);
  // A filter from the URL on it is refused, as on any name that is not a field.
  assert.throws(() => strict.queryset(new Filter({ [MIGRATION_ERROR_PATH]: 'x' }, strict)).toMongo(), FilterError);
});

test('showMigrationErrors registers the component shipped beside the adapter', () => {
  const loader = new ComponentLoader();
  assert.equal(showMigrationErrors(loader), MIGRATION_ERROR_COMPONENT);
  assert.equal(showMigrationErrors(loader), MIGRATION_ERROR_COMPONENT, 'registering twice is harmless');
  const file = loader.getComponents()[MIGRATION_ERROR_COMPONENT]!;
  assert.ok(existsSync(`${file}.tsx`), file);
});

test('withMigrationErrors: first in the given list and show properties with the component, last on show without', () => {
  const given = { listProperties: ['name'], showProperties: ['name', 'tagline'] };
  const loader = new ComponentLoader();
  showMigrationErrors(loader);
  const withComponent = withMigrationErrors(new AdminJS({ componentLoader: loader }), given);
  assert.deepEqual(withComponent.listProperties, [MIGRATION_ERROR_PATH, 'name']);
  assert.deepEqual(withComponent.showProperties, [MIGRATION_ERROR_PATH, 'name', 'tagline']);
  assert.deepEqual(withComponent.properties?.[MIGRATION_ERROR_PATH]?.components, {
    show: MIGRATION_ERROR_COMPONENT,
    list: MIGRATION_ERROR_COMPONENT,
  });
  const without = withMigrationErrors(new AdminJS({ componentLoader: new ComponentLoader() }), given);
  assert.deepEqual(without.listProperties, ['name']);
  assert.deepEqual(without.showProperties, ['name', 'tagline', MIGRATION_ERROR_PATH]);
  assert.deepEqual(without.properties?.[MIGRATION_ERROR_PATH]?.isVisible, {
    show: true,
    list: false,
    edit: false,
    filter: false,
  });
  // The app's own options for the property win.
  const own = withMigrationErrors(new AdminJS({ componentLoader: loader }), {
    properties: { [MIGRATION_ERROR_PATH]: { isVisible: false } },
  });
  assert.equal(own.properties?.[MIGRATION_ERROR_PATH]?.isVisible, false);
});

test('a lax model decorated with the component registered gets no MigrationError column', () => {
  const componentLoader = new ComponentLoader();
  showMigrationErrors(componentLoader);
  const admin = new AdminJS({ componentLoader, resources: [modelAdmin(Lax, { listDisplay: ['name'] })] });
  assert.deepEqual(
    admin
      .findResource('LaxBlog')
      .decorate()
      .getListProperties()
      .map((p) => p.propertyPath),
    ['name'],
  );
});
