// Compile-time error messages for the typed keys: a wrong key's expected type
// becomes a string literal that names it and the closest valid name, so tsc
// prints "Type '"x"' is not assignable to type '"Cannot resolve keyword
// 'headlin' into field. Did you mean 'headline'?"'", as the runtime FieldError
// says. Only instantiated for a key that already failed, so a valid query
// pays nothing for it.
//
// The closest name is found cheaply rather than by Levenshtein distance (as
// core/closest.ts does at run time): a candidate one edit away (a letter
// dropped, added, changed, or two swapped), else one that the bad name starts,
// or that starts the bad name (for a bad name of two letters or more). Case
// is ignored. Each test walks the two names
// once, so the cost grows with the candidates' lengths, never their product.

/** The parts of A and B after their longest common prefix. */
type AfterCommon<A extends string, B extends string> = A extends `${infer C}${infer RestA}`
  ? B extends `${C}${infer RestB}`
    ? AfterCommon<RestA, RestB>
    : [A, B]
  : [A, B];

/** S without its first character; a number (which no string extends) for ''. */
type Tail<S extends string> = S extends `${string}${infer R}` ? R : 0;

/** Whether A becomes B by one dropped, added or changed character, or two swapped neighbours. */
type OneEdit<A extends string, B extends string> =
  AfterCommon<A, B> extends [infer X extends string, infer Y extends string]
    ? Tail<X> extends Y
      ? true
      : Tail<Y> extends X
        ? true
        : Tail<X> extends Tail<Y>
          ? true
          : X extends `${infer P}${infer Q}${infer R}`
            ? Y extends `${Q}${P}${R}`
              ? true
              : false
            : false
    : false;

type Edits<Bad extends string, C> = C extends string ? (OneEdit<Bad, Lowercase<C>> extends true ? C : never) : never;

type Prefixes<Bad extends string, C> = C extends string
  ? Lowercase<C> extends `${Bad}${string}`
    ? C
    : Bad extends `${Lowercase<C>}${string}`
      ? C
      : never
  : never;

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** One member of a union (the last tsc made), so that a message names one name. */
type OneOf<U> = UnionToIntersection<U extends unknown ? () => U : never> extends () => infer R ? R : never;

/**
 * The candidate closest to Bad, or never when none is near.
 *
 * @example
 * ```ts
 * type A = Closest<'headlin', 'headline' | 'rating'>; // 'headline'
 * type B = Closest<'veiws', 'views' | 'likes'>;       // 'views'
 * type C = Closest<'zzz', 'views' | 'likes'>;         // never
 * ```
 */
export type Closest<Bad extends string, Candidates> =
  Tail<Bad> extends '' | 0
    ? never // '' or one letter: anything would be "near"
    : [Edits<Lowercase<Bad>, Candidates>] extends [never]
      ? OneOf<Prefixes<Lowercase<Bad>, Candidates>>
      : OneOf<Edits<Lowercase<Bad>, Candidates>>;

export type DidYouMean<Bad extends string, Candidates> = [Closest<Bad, Candidates>] extends [infer C extends string]
  ? [C] extends [never]
    ? ''
    : ` Did you mean '${C}'?`
  : '';

/**
 * The message for a name that is no field: `Within` is the path it was
 * looked up in ('' at the top), `Candidates` the names that are there.
 *
 * @example
 * ```ts
 * type M = UnknownField<'nme', 'blog', 'name' | 'tagline'>;
 * // "Cannot resolve keyword 'nme' into field of 'blog'. Did you mean 'name'?"
 * ```
 */
export type UnknownField<
  Bad extends string,
  Within extends string,
  Candidates,
> = `Cannot resolve keyword '${Bad}' into field${Within extends '' ? '' : ` of '${Within}'`}.${DidYouMean<Bad, Candidates>}`;

/**
 * The message for a lookup the field does not take.
 *
 * @example
 * ```ts
 * type M = UnknownLookup<'startwith', 'headline', 'startswith' | 'exact'>;
 * // "Unsupported lookup 'startwith' for field 'headline'. Did you mean 'startswith'?"
 * ```
 */
export type UnknownLookup<
  Bad extends string,
  Field extends string,
  Candidates,
> = `Unsupported lookup '${Bad}' for field '${Field}'.${DidYouMean<Bad, Candidates>}`;
