// The admin example's Express app: AdminJS behind its authenticated router,
// and the avatars served by storage.serve() under /media/.
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import AdminJS from 'adminjs';
import { buildAuthenticatedRouter } from '@adminjs/express';
import { Database, Resource } from '../../admin/index.js';
import type { AdminAccount } from './auth.js';
import { bundleComponents } from './bundle.js';
import { componentLoader } from './components.js';
import type { AdminModels } from './models.js';
import { adminResources } from './resources.js';

AdminJS.registerAdapter({ Database, Resource });

/** The app, and how long bundling the custom components took. */
export interface AdminApp {
  readonly app: Express;
  readonly admin: AdminJS;
  readonly bundleMs: number;
}

// The login page's text. The default password is shown only while it is the password.
function loginMessage(account: AdminAccount): string {
  const how = account.defaults
    ? 'Log in with admin@example.com / djongoose (set ADMIN_EMAIL and ADMIN_PASSWORD to change them).'
    : 'Log in with ADMIN_EMAIL and ADMIN_PASSWORD.';
  return `${how} These credentials are for local use only.`;
}

/**
 * Builds the admin on `models`, bundles its components, and returns the app to listen with.
 *
 * @example
 * ```ts
 * const { app } = await adminApp(adminModels(connection), adminAccount(process.env));
 * app.listen(3000, '127.0.0.1');
 * ```
 */
export async function adminApp(models: AdminModels, account: AdminAccount): Promise<AdminApp> {
  const admin = new AdminJS({
    rootPath: '/admin',
    componentLoader,
    resources: adminResources(models),
    branding: { companyName: 'djongoose admin', logo: false, withMadeWithLove: false },
    locale: {
      language: 'en',
      translations: {
        en: { components: { Login: { welcomeHeader: 'djongoose admin', welcomeMessage: loginMessage(account) } } },
      },
    },
  });
  const bundleMs = await bundleComponents(admin);
  const router = buildAuthenticatedRouter(
    admin,
    {
      authenticate: async (email: string, password: string) =>
        account.matches(email, password) ? { email: account.email } : null,
      cookieName: 'djongoose-admin',
      cookiePassword: account.sessionSecret,
    },
    null,
    {
      secret: account.sessionSecret,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax' },
    },
  );
  const app = express();
  app.use('/media', models.storage.serve());
  app.use(admin.options.rootPath, router);
  app.get('/', (_req, res) => res.redirect(admin.options.rootPath));
  // A request's body (a password among it) is never logged: only the error's name and message.
  app.use((err: Error, req: Request, res: Response, next: NextFunction) => {
    void next;
    console.error(`${req.method} ${req.path}: ${err.name}: ${err.message}`);
    res.status(500).type('text/plain').send('Internal error');
  });
  return { app, admin, bundleMs };
}
