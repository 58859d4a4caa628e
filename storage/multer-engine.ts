// storage.multer(): a multer storage engine, so an Express upload streams
// straight into GridFS. multer's limits.fileSize truncates the file stream
// and emits 'limit'; the engine then fails the upload, which aborts the
// GridFS stream (no chunks, no files document). The stored content type is
// sniffed from the first bytes, never the client's. Uploads for a file
// field go through Model.fileUpload(path) (field-upload.ts), which also runs
// the field's checks.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { ClientAborted, FileTooLarge } from '../core/errors.js';
import type { FileStorage } from './file-types.js';
import { inspectHead } from './head.js';
import { cleanPath, validFileName } from './names.js';
import { SNIFF_BYTES, sniffContentType } from './sniff.js';
import { checkStrftime, strftime } from './strftime.js';

/** The file multer hands a storage engine. */
export interface MulterIncomingFile {
  readonly fieldname: string;
  readonly originalname: string;
  readonly mimetype: string;
  readonly stream: Readable;
}

/** What the engine adds to `req.file`: `filename` is the stored name. */
export interface GridFSUploadInfo {
  readonly filename: string;
  readonly size: number;
  readonly id: string;
  readonly bucketName: string;
  /** The content type sniffed from the first bytes and stored (not the client's `mimetype`). */
  readonly contentType: string;
  /** `storage.url(filename)`, when the storage has a baseUrl. */
  readonly url?: string;
}

/** multer's StorageEngine interface, implemented for GridFS; `I` is what it adds to `req.file`. */
export interface GridFSMulterEngine<I extends GridFSUploadInfo = GridFSUploadInfo> {
  _handleFile(req: IncomingMessage, file: MulterIncomingFile, callback: (error?: Error | null, info?: I) => void): void;
  _removeFile(
    req: IncomingMessage,
    file: MulterIncomingFile & Partial<I>,
    callback: (error: Error | null) => void,
  ): void;
}

/** Options of {@link multerEngine}. */
export interface MulterEngineOptions {
  /** A directory with strftime placeholders, or a function naming the file from the request and multer's file. */
  readonly uploadTo?: string | ((req: IncomingMessage, file: MulterIncomingFile) => string);
}

/**
 * The file stream's bytes, failing when multer's size limit trips (the rest
 * is drained, not destroyed, so multer and busboy finish as usual) or when
 * the client goes away mid-upload (multer itself would wait forever).
 */
export async function* guarded(stream: Readable, req: IncomingMessage, name: string): AsyncGenerator<Uint8Array> {
  let limited = false;
  stream.once('limit', () => {
    limited = true;
  });
  let onClose: (() => void) | undefined;
  const dropped = new Promise<never>((_, reject) => {
    onClose = () => {
      if (!req.complete)
        reject(new ClientAborted(`The client closed the connection during the upload of ${JSON.stringify(name)}.`));
    };
    req.once('close', onClose);
  });
  dropped.catch(() => undefined);
  const chunks = stream[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await Promise.race([chunks.next(), dropped]);
      if (next.done) break;
      if (!limited) yield next.value as Uint8Array;
    }
  } finally {
    if (onClose) req.off('close', onClose);
  }
  if (limited) throw new FileTooLarge(`The upload of ${JSON.stringify(name)} is larger than multer's limits.fileSize.`);
}

/**
 * A multer storage engine that saves each uploaded file through `storage`.
 *
 * @example
 * ```ts
 * const upload = multer({ storage: storage.multer({ uploadTo: 'uploads/%Y/' }), limits: { fileSize: 10 << 20 } });
 * app.post('/upload', upload.single('file'), (req, res) => res.json(req.file));
 * ```
 */
export function multerEngine(storage: FileStorage, options: MulterEngineOptions = {}): GridFSMulterEngine {
  const uploadTo = options.uploadTo ?? '';
  if (typeof uploadTo === 'string') checkStrftime(uploadTo, 'storage.multer({ uploadTo })');

  async function store(req: IncomingMessage, file: MulterIncomingFile): Promise<GridFSUploadInfo> {
    const valid = validFileName(file.originalname);
    const dir = typeof uploadTo === 'function' ? undefined : strftime(uploadTo, new Date());
    const wanted = cleanPath(
      typeof uploadTo === 'function'
        ? uploadTo(req, { ...file, originalname: valid })
        : dir === '' || dir?.endsWith('/')
          ? `${dir}${valid}`
          : `${dir}/${valid}`,
    );
    const { value: contentType, body } = await inspectHead(
      guarded(file.stream, req, valid),
      SNIFF_BYTES,
      (head, final, ended) => (final ? sniffContentType(head, ended) : undefined),
    );
    const filename = await storage.save(wanted, body, { contentType });
    return uploadInfo(storage, filename, contentType);
  }

  return engineOf(storage, store);
}

/** What `req.file` holds for a file stored in `storage`, as both engines report it. */
export async function uploadInfo(
  storage: FileStorage,
  filename: string,
  contentType: string,
): Promise<GridFSUploadInfo> {
  const stat = await storage.stat(filename);
  return {
    filename,
    size: stat.size,
    id: String(stat.id),
    bucketName: stat.bucket,
    contentType,
    ...(storage.baseUrl === undefined ? {} : { url: storage.url(filename) }),
  };
}

/**
 * multer's StorageEngine around a `store(req, file)` that saves one upload
 * into `storage`: a refused upload drains the rest of the request, and
 * multer's cleanup deletes what was stored.
 */
export function engineOf<I extends GridFSUploadInfo>(
  storage: FileStorage,
  store: (req: IncomingMessage, file: MulterIncomingFile) => Promise<I>,
): GridFSMulterEngine<I> {
  const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));
  return {
    _handleFile(req, file, callback) {
      store(req, file).then(
        (info) => callback(null, info),
        (err: unknown) => {
          file.stream.resume(); // let busboy finish the request
          callback(asError(err));
        },
      );
    },
    _removeFile(_req, file, callback) {
      if (!file.filename) return callback(null);
      storage.delete(file.filename).then(
        () => callback(null),
        (err: unknown) => callback(asError(err)),
      );
    },
  };
}
