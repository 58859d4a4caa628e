// djongoose/filterset: filtering, ordering and paging a model from a request's
// query string (django-filter's FilterSet, Django's Paginator), and our
// errors as HTTP answers.
export { FilterSet, filterSet } from './filterset.js';
export type { FilterFields, FilterSetOptions, CheckedFilterSetOptions } from './types.js';
export type { QueryInput } from './query.js';
export { paginate } from './paginate.js';
export type { Page, PageNumber, PaginateOptions } from './paginate.js';
export { httpStatusOf, errorBody, djongooseErrorHandler } from './http.js';
export type { ErrorBody, ErrorResponse, DjongooseErrorHandler } from './http.js';
export {
  DjongooseError,
  FieldError,
  ValidationError,
  DoesNotExist,
  FilterError,
  InvalidPage,
  PageNotAnInteger,
  EmptyPage,
} from '../core/errors.js';
