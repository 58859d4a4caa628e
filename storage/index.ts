// djongoose/storage: GridFSStorage and file fields land here with their issue.
export { DjongooseError, ImproperlyConfigured } from '../core/errors.js';
