import { cpSync } from 'node:fs';
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'index.ts',
    'plugins/index': 'plugins/index.ts',
    'manager/index': 'manager/index.ts',
    'fields/index': 'fields/index.ts',
    'cli/index': 'cli/index.ts',
    'cli/api': 'cli/api.ts',
    'storage/index': 'storage/index.ts',
    'filterset/index': 'filterset/index.ts',
    'admin/index': 'admin/index.ts',
  },
  format: ['esm', 'cjs'],
  // Shared chunks, so `djongoose` and `djongoose/manager` hand out the same
  // error classes in CJS as well as ESM.
  splitting: true,
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  outDir: 'dist',
  // import.meta is a syntax error in CommonJS: there admin/migration-error.ts uses __dirname,
  // and never reads import.meta.url (no other module uses either).
  esbuildOptions(options, context) {
    if (context.format === 'cjs') options.define = { ...options.define, 'import.meta.url': 'undefined' };
  },
  // AdminJS bundles an app's components from their source files: djongoose/admin's
  // ship as they are, beside admin/index.js (see admin/migration-error.ts).
  onSuccess: async () => cpSync('admin/components/migration-error.tsx', 'dist/admin/components/migration-error.tsx'),
});
