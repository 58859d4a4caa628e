// MongoEngine's tests/queryset/test_queryset.py models, as Mongoose schemas
// with the djongoose manager. MongoEngine declares most of its Documents inside
// each test; here each becomes a factory, and every case compiles its own
// model under a name of its own (one collection per case).
import mongoose, { type Connection, type SchemaDefinition, type SchemaOptions } from 'mongoose';
import { manager, type Managed, type ManagerPluginOptions } from '../../../../index.js';
import { ready } from '../../../helpers/server.js';

let counter = 0;

/**
 * A managed model of the given fields, in a collection of its own; `name`
 * stays in the model name for the messages. `managers` are the manager
 * plugin's options, one per manager (default: `objects`, a DjongoManager).
 */
export async function define<T>(
  conn: Connection,
  name: string,
  fields: SchemaDefinition,
  options: SchemaOptions = {},
  managers: readonly ManagerPluginOptions[] = [{}],
): Promise<Managed<T>> {
  const schema = new mongoose.Schema(fields, options);
  for (const managerOptions of managers) schema.plugin(manager, managerOptions);
  counter += 1;
  const model = conn.model(`${name}${counter}`, schema) as unknown as Managed<T>;
  return ready(model);
}

/** An embedded document's schema: no _id of its own, as MongoEngine's EmbeddedDocument. */
export function embedded(fields: SchemaDefinition): mongoose.Schema {
  return new mongoose.Schema(fields, { _id: false });
}

export interface PersonRaw {
  name?: string;
  age?: number;
  person_meta?: { weight?: number };
}

/** TestQueryset.setUp's Person (with its PersonMeta). */
export function person(conn: Connection): Promise<Managed<PersonRaw>> {
  return define<PersonRaw>(conn, 'Person', {
    name: String,
    age: Number,
    person_meta: embedded({ weight: Number }),
  });
}

export interface CommentRaw {
  name?: string;
}
export interface PostRaw {
  comments?: CommentRaw[];
}
export interface BlogRaw {
  title?: string;
  tags?: string[];
  posts?: PostRaw[];
}

/** The Blog of test_find_array_position and test_update_array_position: posts of comments. */
export function blogOfPosts(conn: Connection, unique = false): Promise<Managed<BlogRaw>> {
  const comment = embedded({ name: String });
  const post = embedded({ comments: [comment] });
  return define<BlogRaw>(conn, 'Blog', {
    title: unique ? { type: String, unique: true } : String,
    tags: [String],
    posts: [post],
  });
}

export interface VotedCommentRaw {
  by?: string;
  votes?: number;
}
export interface VotedPostRaw {
  title?: string;
  comments?: VotedCommentRaw[];
}

/** BlogPost with comments that have votes (test_update_using_positional_operator). */
export function votedPost(conn: Connection): Promise<Managed<VotedPostRaw>> {
  return define<VotedPostRaw>(conn, 'BlogPost', {
    title: String,
    comments: [embedded({ by: String, votes: Number })],
  });
}

export interface TaggedPostRaw {
  slug?: string;
  title?: string;
  tags?: string[];
  hits?: number;
}

/** The BlogPost of the list-operator cases: a slug and a list of tags. */
export function taggedPost(conn: Connection): Promise<Managed<TaggedPostRaw>> {
  return define<TaggedPostRaw>(conn, 'BlogPost', { slug: String, title: String, tags: [String], hits: Number });
}

export interface SiteRaw {
  name?: string;
  collaborators?: { user?: string }[];
}

/** test_pull_nested's Site: a list of embedded collaborators. */
export function site(conn: Connection): Promise<Managed<SiteRaw>> {
  return define<SiteRaw>(conn, 'Site', {
    name: { type: String, maxlength: 75, unique: true, required: true },
    collaborators: [embedded({ user: String })],
  });
}

export interface NestedSiteRaw {
  name?: string;
  collaborators?: { helpful?: { name?: string }[]; unhelpful?: { name?: string }[] };
}

/** test_pull_from_nested_embedded's Site: an embedded Collaborator holding two lists of users. */
export function nestedSite(conn: Connection): Promise<Managed<NestedSiteRaw>> {
  const user = embedded({ name: String });
  return define<NestedSiteRaw>(conn, 'Site', {
    name: { type: String, maxlength: 75, unique: true, required: true },
    collaborators: embedded({ helpful: [user], unhelpful: [user] }),
  });
}
