// djongoose/manager: Django-style managers and QuerySets. The query layer
// lands here with its issue; the errors it raises already live in one place.
export { DjongooseError, ImproperlyConfigured } from '../core/errors.js';
