// Types for adminjs/bundler, a subpath AdminJS exports without declarations:
// only what bundle.ts uses.
declare module 'adminjs/bundler' {
  import type AdminJS from 'adminjs';

  export const ADMIN_JS_TMP_DIR: string;
  export const componentsBundler: {
    createEntry(options: { dir?: string; content: string }): Promise<void>;
    build(): Promise<void>;
  };
  export function generateUserComponentEntry(admin: AdminJS, entryPath: string): string;
}
