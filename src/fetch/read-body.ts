import { Readable, Writable } from 'node:stream';
import type { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pipeline as pipelineCb } from 'node:stream';
import { constants, createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';

/** The decoded body went past `maxBytes`; reading stopped there. */
export class BodyTooLargeError extends Error {
  readonly code = 'ERR_BODY_TOO_LARGE';
  constructor(readonly maxBytes: number) {
    super(`body larger than ${maxBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** A `Content-Encoding` we do not decode. */
export class UnsupportedEncodingError extends Error {
  readonly code = 'ERR_UNSUPPORTED_ENCODING';
  constructor(readonly encoding: string) {
    super(`unsupported Content-Encoding "${encoding}"`);
    this.name = 'UnsupportedEncodingError';
  }
}

/** The codings we ask for in `Accept-Encoding`. */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

// Many servers cut compressed bodies short or omit the trailer; decode what arrived instead of failing the feed.
const lenient = { finishFlush: constants.Z_SYNC_FLUSH };
const lenientBrotli = { finishFlush: constants.BROTLI_OPERATION_FLUSH };

type Decoder = Transform | ((source: AsyncIterable<Buffer>) => AsyncGenerator<Buffer>);

/**
 * The decoders for a `Content-Encoding` list, in the order to apply them: the header lists codings in the order they
 * were applied, so the last one is undone first. Throws `UnsupportedEncodingError` for a coding we did not offer.
 */
export function decodersFor(contentEncoding: string | undefined): Decoder[] {
  if (!contentEncoding) return [];
  const codings = contentEncoding
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  return codings.reverse().map((coding): Decoder => {
    switch (coding) {
      case 'gzip':
      case 'x-gzip':
        return createGunzip(lenient);
      case 'deflate':
        return inflateEitherDeflate;
      case 'br':
        return createBrotliDecompress(lenientBrotli);
      default:
        throw new UnsupportedEncodingError(coding);
    }
  });
}

/**
 * `deflate` should be zlib-wrapped (RFC 9110 §8.4.1.2), but some servers send raw deflate. A zlib header's first
 * byte has compression method 8 in its low nibble and the pair is a multiple of 31; anything else is taken as raw.
 */
async function* inflateEitherDeflate(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const head: Buffer = first.value;
  const zlibWrapped = head.length >= 2 && (head[0]! & 0x0f) === 8 && ((head[0]! << 8) | head[1]!) % 31 === 0;
  const inflater = zlibWrapped ? createInflate(lenient) : createInflateRaw(lenient);
  const rest = Readable.from(
    (async function* () {
      yield head;
      for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
    })(),
  );
  // The callback form wires errors both ways; the error itself surfaces when iterating `inflater` below.
  pipelineCb(rest, inflater, () => {});
  for await (const chunk of inflater) yield chunk as Buffer;
}

/** Ends a body nobody will read, closing its connection; the abort error it then emits is expected, not a failure. */
export function dropBody(body: Readable): void {
  body.on('error', () => {});
  body.destroy();
}

/**
 * Reads a response body through its decoders, counting decoded bytes and stopping as soon as they pass `maxBytes`
 * (`BodyTooLargeError`). Backpressure holds each stage to a few chunks, so a gzip bomb costs `maxBytes` of memory, not
 * its decoded size. The bytes are not charset-decoded.
 */
export async function readBody(body: Readable, contentEncoding: string | undefined, maxBytes: number): Promise<Buffer> {
  let decoders: Decoder[];
  try {
    decoders = decodersFor(contentEncoding);
  } catch (err) {
    dropBody(body);
    throw err;
  }
  const chunks: Buffer[] = [];
  let total = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      total += chunk.length;
      if (total > maxBytes) return done(new BodyTooLargeError(maxBytes));
      chunks.push(chunk);
      done();
    },
  });
  // stream/promises takes an array of streams and generator transforms; its typings only list streams.
  await (pipeline as unknown as (streams: unknown[]) => Promise<void>)([body, ...decoders, sink]);
  return Buffer.concat(chunks, total);
}
