import { STATUS_CODES } from 'node:http';
import { Agent, request } from 'undici';
import type { Dispatcher } from 'undici';
import { FetchError } from '../core/index.js';
import type { FetchErrorCode, Logger } from '../core/index.js';
import { addressPolicyFor, classifyHost, bareHostname, ForbiddenAddressError, guardLookup, isAllowed } from './address-guard.js';
import type { AddressPolicy, LookupFunction } from './address-guard.js';
import { firstHeader, parseMaxAge, parseRetryAfter } from './cache-hints.js';
import { HostLimiter } from './host-limiter.js';
import { ACCEPT_ENCODING, dropBody, readBody } from './read-body.js';
import { toFetchError } from './to-fetch-error.js';

/** Limits and identity for every request; `config.fetch` in the shape the fetcher needs. */
export interface FetchLimits {
  /** Requests in flight at once, over all hosts. */
  readonly concurrency: number;
  /** Requests in flight per host (`host:port`). */
  readonly perHost: number;
  /** Total deadline of one fetch: headers and body of every hop. */
  readonly timeoutMs: number;
  /** Deadline to resolve and connect (and finish the TLS handshake). */
  readonly connectTimeoutMs: number;
  /** Largest body accepted, counted after decompression. */
  readonly maxBytes: number;
  readonly maxRedirects: number;
  readonly userAgent: string;
  /** Allow any hop into loopback, private, link-local, unspecified or CGNAT addresses. */
  readonly allowPrivateAddresses: boolean;
}

export interface FetchRequest {
  readonly sourceId: string;
  /** What to fetch: the stored URL (the configured one, or where a permanent redirect pointed). */
  readonly url: string;
  /** The URL as configured; its host decides the local-development exception of the address guard. */
  readonly configuredUrl: string;
  readonly etag?: string;
  readonly lastModified?: string;
}

/** Hints every answer can carry. */
interface ResponseHints {
  /** Set when every hop was a 301/308: the final URL, for the caller to store instead of `url`. */
  readonly permanentRedirectTo?: string;
  /** `Cache-Control: max-age`, a lower bound for the next check. */
  readonly maxAgeMs?: number;
}

export type FetchResult =
  | ({
      readonly kind: 'ok';
      readonly status: number;
      /** The final URL after redirects. */
      readonly url: string;
      /** Decoded from gzip/deflate/br; NOT charset-decoded. */
      readonly body: Buffer;
      readonly contentType?: string;
      readonly etag?: string;
      readonly lastModified?: string;
    } & ResponseHints)
  | ({ readonly kind: 'not-modified'; readonly status: 304; readonly etag?: string; readonly lastModified?: string } & ResponseHints)
  | {
      readonly kind: 'failed';
      readonly error: FetchError;
      readonly status?: number;
      /** From `Retry-After` on a 429 or 503: a lower bound for the next check. */
      readonly retryAfterMs?: number;
      /** 410 Gone: poll rarely, never drop. */
      readonly gone: boolean;
    };

export interface Fetcher {
  /** Fetches one source. Never throws for a problem of that source: it comes back as `{ kind: 'failed' }`. */
  fetchSource(req: FetchRequest, log: Logger): Promise<FetchResult>;
  /** Closes pooled connections; in-flight requests finish first. Calling it twice is harmless. */
  close(): Promise<void>;
}

/** Hooks for tests; production code passes none. */
export interface FetcherOptions {
  /** Replaces DNS (the address guard still checks what it returns). */
  readonly lookup?: LookupFunction;
  /** Extra trusted CA certificates, for a loopback HTTPS server in tests. */
  readonly ca?: string | Buffer;
}

/** Feed types first; HTML last so a page that links its feed still comes back for discovery. */
export const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, ' +
  'application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, text/html;q=0.5, */*;q=0.1';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const PERMANENT_REDIRECTS = new Set([301, 308]);
/** Enough of an unwanted body (error page, redirect) to keep the connection reusable, then it is dropped. */
const DISCARD_LIMIT = 64 * 1024;

/** One shared connection pool per address policy, a global limiter and per-host limiters. */
export function createFetcher(limits: FetchLimits, options: FetcherOptions = {}): Fetcher {
  return new PooledFetcher(limits, options);
}

/** The hop in progress: its URL for messages (credentials removed) and, once answered, its status. */
interface Hop {
  url: string;
  status?: number;
}

interface FailureExtra {
  readonly cause?: unknown;
  readonly retryAfterMs?: number;
  readonly gone?: boolean;
}

/** The total deadline of one fetch, started when the first request is about to go out. */
class Deadline {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  expired = false;

  constructor(private readonly ms: number) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.expired = true;
      this.controller.abort(new Error(`deadline of ${this.ms} ms passed`));
    }, this.ms);
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

class PooledFetcher implements Fetcher {
  private readonly limiter: HostLimiter;
  // Connections are pooled per policy so one made under a looser policy is never reused under a stricter one.
  private readonly agents = new Map<AddressPolicy, Agent>();
  private closing: Promise<void> | undefined;

  constructor(
    private readonly limits: FetchLimits,
    private readonly options: FetcherOptions,
  ) {
    this.limiter = new HostLimiter(limits.concurrency, limits.perHost);
  }

  private agentFor(policy: AddressPolicy): Agent {
    let agent = this.agents.get(policy);
    if (!agent) {
      agent = new Agent({
        connect: {
          timeout: this.limits.connectTimeoutMs,
          lookup: guardLookup(policy, this.options.lookup),
          ...(this.options.ca ? { ca: this.options.ca } : {}),
        },
        // Our own deadline covers the whole fetch; these only have to be no shorter.
        headersTimeout: this.limits.timeoutMs,
        bodyTimeout: this.limits.timeoutMs,
      });
      this.agents.set(policy, agent);
    }
    return agent;
  }

  async fetchSource(req: FetchRequest, log: Logger): Promise<FetchResult> {
    const deadline = new Deadline(this.limits.timeoutMs);
    const at: Hop = { url: redact(req.url) };
    try {
      return await this.followRedirects(req, log, deadline, at);
    } catch (err) {
      const error = toFetchError(err, {
        sourceId: req.sourceId,
        ...at,
        deadlineExpired: deadline.expired,
        timeoutMs: this.limits.timeoutMs,
        connectTimeoutMs: this.limits.connectTimeoutMs,
      });
      log.debug({ err: error, url: at.url }, 'fetch error');
      return { kind: 'failed', error, status: at.status, gone: false };
    } finally {
      deadline.stop();
    }
  }

  /** Requests `req.url` and follows redirects; `at` always holds the hop in progress, for the error message. */
  private async followRedirects(req: FetchRequest, log: Logger, deadline: Deadline, at: Hop): Promise<FetchResult> {
    const policy = addressPolicyFor(req.configuredUrl, this.limits.allowPrivateAddresses);
    const dispatcher = this.agentFor(policy);
    const fail = (code: FetchErrorCode, message: string, extra: FailureExtra = {}): FetchResult => ({
      kind: 'failed',
      error: new FetchError(code, `fetch: ${message}`, { sourceId: req.sourceId, ...at }, { cause: extra.cause }),
      status: at.status,
      ...optional('retryAfterMs', extra.retryAfterMs),
      gone: extra.gone ?? false,
    });

    let url = new URL(req.url);
    const visited = new Set<string>();
    let allPermanent = true;
    for (let hops = 0; ; hops++) {
      const shown = redact(url.href);
      at.url = shown;
      at.status = undefined;
      visited.add(url.href);
      // IP literals and `localhost` never reach the guarded lookup (net.connect skips DNS for literals), so they are
      // checked here, before any connection.
      const literal = classifyHost(url);
      if (!isAllowed(literal, policy)) throw new ForbiddenAddressError(bareHostname(url), bareHostname(url), literal);

      const release = await this.limiter.acquire(url.host);
      try {
        deadline.start();
        const started = Date.now();
        const res = await request(url, { dispatcher, method: 'GET', headers: this.headersFor(req), signal: deadline.signal });
        const status = (at.status = res.statusCode);
        log.debug({ url: shown, status, ms: Date.now() - started }, 'fetch response');

        if (REDIRECT_STATUSES.has(status) && res.headers.location !== undefined) {
          await discard(res.body);
          const location = firstHeader(res.headers.location) ?? '';
          let next: URL;
          try {
            next = new URL(location, url);
          } catch (err) {
            return fail('http-status', `HTTP ${status} from ${shown} redirects to an invalid URL "${location.slice(0, 200)}"`, { cause: err });
          }
          const to = redact(next.href);
          if (next.protocol !== 'http:' && next.protocol !== 'https:') {
            return fail('forbidden-address', `HTTP ${status} from ${shown} redirects to a ${next.protocol} URL, which is not followed`);
          }
          if (visited.has(next.href)) return fail('redirect-loop', `redirect loop: ${shown} redirects back to ${to}`);
          if (hops >= this.limits.maxRedirects) {
            return fail('too-many-redirects', `more than ${this.limits.maxRedirects} redirects, the last from ${shown} to ${to}`);
          }
          allPermanent &&= PERMANENT_REDIRECTS.has(status);
          log.debug({ from: shown, to, status }, 'fetch redirect');
          url = next;
          continue;
        }

        const hints: ResponseHints = {
          ...(hops > 0 && allPermanent ? { permanentRedirectTo: url.href } : {}),
          ...optional('maxAgeMs', parseMaxAge(res.headers['cache-control'])),
        };
        const validators = {
          ...optional('etag', firstHeader(res.headers.etag)),
          ...optional('lastModified', firstHeader(res.headers['last-modified'])),
        };
        if (status === 304) {
          await discard(res.body);
          return { kind: 'not-modified', status: 304, ...validators, ...hints };
        }
        if (status < 200 || status > 299) {
          await discard(res.body);
          const retryAfter = status === 429 || status === 503 ? res.headers['retry-after'] : undefined;
          return fail('http-status', `HTTP ${status} ${STATUS_CODES[status] ?? 'Unknown Status'} from ${shown}`, {
            retryAfterMs: parseRetryAfter(retryAfter, Date.now()),
            gone: status === 410,
          });
        }

        const declared = Number(firstHeader(res.headers['content-length']));
        if (declared > this.limits.maxBytes) {
          dropBody(res.body);
          return fail('too-large', `body larger than ${this.limits.maxBytes} bytes from ${shown} (Content-Length ${declared})`);
        }
        const body = await readBody(res.body, firstHeader(res.headers['content-encoding']), this.limits.maxBytes);
        if (body.length === 0) return fail('empty-body', `HTTP ${status} from ${shown} has an empty body`);
        return {
          kind: 'ok',
          status,
          url: url.href,
          body,
          ...optional('contentType', firstHeader(res.headers['content-type'])),
          ...validators,
          ...hints,
        };
      } finally {
        release();
      }
    }
  }

  private headersFor(req: FetchRequest): Record<string, string> {
    const headers: Record<string, string> = {
      'user-agent': this.limits.userAgent,
      accept: ACCEPT,
      'accept-encoding': ACCEPT_ENCODING,
    };
    if (req.etag) headers['if-none-match'] = req.etag;
    if (req.lastModified) headers['if-modified-since'] = req.lastModified;
    return headers;
  }

  close(): Promise<void> {
    this.closing ??= Promise.all([...this.agents.values()].map((a) => a.close())).then(() => undefined);
    return this.closing;
  }
}

/** Reads and drops a body we do not want, so the connection can be reused; a failure here changes nothing. */
async function discard(body: Dispatcher.ResponseData['body']): Promise<void> {
  try {
    await body.dump({ limit: DISCARD_LIMIT });
  } catch {
    // The response is already decided; a broken unwanted body only means the connection is not reused.
  }
}

/** `{ [key]: value }` when value is defined, else `{}`: keeps absent fields absent rather than `undefined`. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** A URL for messages and logs: user name and password removed. */
function redact(href: string): string {
  try {
    const u = new URL(href);
    if (!u.username && !u.password) return u.href;
    u.username = '';
    u.password = '';
    return u.href;
  } catch {
    // Not a URL: shown as given, since it is what the caller passed.
    return href;
  }
}
