import { FetchError } from '../core/index.js';
import type { FetchErrorCode } from '../core/index.js';
import { ForbiddenAddressError } from './address-guard.js';
import { BodyTooLargeError, UnsupportedEncodingError } from './read-body.js';

/** What the fetcher knows about the failed request, for the message. */
export interface FailureContext {
  readonly sourceId: string;
  /** The URL of the hop that failed (credentials already removed). */
  readonly url: string;
  readonly status?: number;
  /** Our own total deadline fired: whatever undici reports then is a consequence of the abort. */
  readonly deadlineExpired: boolean;
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME']);
const TLS_CODE = /CERT|SSL|TLS|EPROTO|SIGNATURE|ISSUER|HOSTNAME_MISMATCH/;
const ZLIB_CODE = /^Z_|^ERR_BROTLI|^ERR__ERROR_FORMAT|^ERR_ZLIB/;

/** The error and its causes, outermost first (undici wraps socket errors, the pipeline wraps stream errors). */
function chain(err: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e: unknown = err; e !== undefined && e !== null && out.length < 8; e = (e as { cause?: unknown }).cause) {
    out.push(e);
  }
  return out;
}

function codeOf(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Turns whatever a request threw into a `FetchError` whose code says what kind of failure it was and whose message
 * says what happened and where. The original error is kept as `cause`.
 */
export function toFetchError(err: unknown, ctx: FailureContext): FetchError {
  const { url } = ctx;
  const make = (code: FetchErrorCode, message: string): FetchError =>
    new FetchError(code, `fetch: ${message}`, { sourceId: ctx.sourceId, url, status: ctx.status }, { cause: err });
  const errors = chain(err);
  const host = hostOf(url);

  for (const e of errors) {
    if (e instanceof ForbiddenAddressError) {
      return make(
        'forbidden-address',
        `refused to connect to ${url}: ${e.message}; set fetch.allowPrivateAddresses to allow it`,
      );
    }
    if (e instanceof BodyTooLargeError) return make('too-large', `body larger than ${e.maxBytes} bytes from ${url}`);
    if (e instanceof UnsupportedEncodingError) return make('bad-encoding', `${e.message} from ${url}`);
  }
  if (ctx.deadlineExpired) return make('timeout', `timed out after ${ctx.timeoutMs} ms reading ${url}`);

  for (const e of errors) {
    const code = codeOf(e);
    if (code === 'UND_ERR_CONNECT_TIMEOUT') {
      return make('timeout', `could not connect to ${host} within ${ctx.connectTimeoutMs} ms for ${url}`);
    }
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
      return make('timeout', `timed out after ${ctx.timeoutMs} ms without data reading ${url}`);
    }
    if (DNS_CODES.has(code)) return make('dns', `DNS lookup of ${host} failed (${code}) for ${url}`);
    if (code === 'ECONNREFUSED') return make('network', `connection refused by ${host} for ${url}`);
    if (code === 'ECONNRESET' || code === 'EPIPE') return make('network', `connection reset by ${host} reading ${url}`);
    if (TLS_CODE.test(code)) return make('tls', `TLS error with ${host} (${code}: ${messageOf(e)}) for ${url}`);
    if (ZLIB_CODE.test(code)) return make('bad-encoding', `could not decompress the body from ${url}: ${messageOf(e)}`);
  }
  const first = errors[0];
  const code = codeOf(first);
  return make('network', `${messageOf(first)}${code ? ` (${code})` : ''} reading ${url}`);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    // Only used to word the message; the URL itself is already in it.
    return url;
  }
}
