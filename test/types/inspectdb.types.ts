// Type tests for inspectdb: its options and report. Each @ts-expect-error must fail to compile.
import type { Connection } from 'mongoose';
import { inspectdb, type InspectReport } from '../../cli/api.js';

export async function inspectdbTypes(conn: Connection): Promise<string> {
  const report: InspectReport = await inspectdb(conn, { collections: ['blog_entry'], sample: 10 });
  await inspectdb(conn, { onProgress: ({ collection, done, total }) => void [collection, done + total] });
  // @ts-expect-error collections is a list of names, not one comma-separated string
  await inspectdb(conn, { collections: 'blog_entry,blog_tag' });
  // @ts-expect-error sample is a number of documents
  await inspectdb(conn, { sample: '100' });
  // @ts-expect-error the connection comes first
  await inspectdb({ sample: 10 }, conn);
  // @ts-expect-error the report is read-only
  report.models = [];
  const first = report.models[0];
  // @ts-expect-error autoField is a name or null
  const field: number | undefined = first?.autoField;
  return `${report.source}${String(field)}`;
}
