// Multipart forms to AdminJS's new and edit actions as @adminjs/express
// hands them over: parsed by express-formidable (files written to the
// server's temporary directory), then `{ ...fields, ...files }` as the
// payload of the API controller's action. A test posts real FormData to a
// local server; the answer is checked to name no temporary path.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import express, { type RequestHandler } from 'express';
import type { ActionRequest, ApiController, RecordJSON } from 'adminjs';

const formidable = createRequire(import.meta.url)('express-formidable') as (options?: object) => RequestHandler;

/** What the new and edit actions answer. */
export interface ActionResult {
  record: RecordJSON;
  notice?: { type: string; message: string };
}

/** A form's parts: text, or a file as [content, file name]. */
export type FormParts = Record<string, string | readonly [Uint8Array | string, string]>;

/** Where express-formidable writes uploads: what must never reach the browser. */
export const TEMP_DIR = tmpdir();

/** Posts forms for one resource: `post('', parts)` is the new action, `post(id, parts)` the edit one. */
export interface FormPoster {
  /** `query` `?lose` removes the parsed files before the action runs (a tmp cleaner, a full disk). */
  post(recordId: string, parts: FormParts, query?: string): Promise<ActionResult>;
}

/**
 * Starts a local server posting multipart forms to `resourceId`'s new and
 * edit actions; it closes when the test file ends.
 *
 * @example
 * ```ts
 * const forms = await adminForms(api, 'Author', 'image/gif');
 * const res = await forms.post(String(ann._id), { name: 'Ann', avatar: [gif, 'ann.gif'] });
 * ```
 */
export async function adminForms(
  api: ApiController,
  resourceId: string,
  mimeType: string,
  after: (fn: () => void) => void,
): Promise<FormPoster> {
  const app = express();
  app.post('/forms{/:recordId}', formidable(), async (req, res) => {
    const { fields, files } = req as unknown as { fields: Record<string, unknown>; files: Record<string, unknown> };
    if ('lose' in req.query) {
      for (const file of Object.values(files)) await rm((file as { path: string }).path, { force: true });
    }
    const recordId = req.params['recordId'];
    const request = {
      params: { resourceId, action: recordId ? 'edit' : 'new', ...(recordId ? { recordId } : {}) },
      method: 'post',
      payload: { ...fields, ...files },
    } as unknown as ActionRequest;
    res.json(recordId ? await api.recordAction(request, {}) : await api.resourceAction(request, {}));
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  after(() => server.close());
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/forms`;
  return {
    async post(recordId, parts, query = '') {
      const form = new FormData();
      for (const [key, value] of Object.entries(parts)) {
        if (typeof value === 'string') form.append(key, value);
        else form.append(key, new Blob([value[0]], { type: mimeType }), value[1]);
      }
      const res = await fetch(`${base}${recordId ? `/${recordId}` : ''}${query}`, { method: 'POST', body: form });
      const text = await res.text();
      assert.ok(!text.includes(TEMP_DIR), `the response names a server path: ${text}`);
      assert.equal(res.status, 200, text);
      return JSON.parse(text) as ActionResult;
    },
  };
}
