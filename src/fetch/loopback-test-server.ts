/**
 * FOR TESTS ONLY: a real HTTP(S) server on 127.0.0.1 with named routes, recording what it received. The fetch tests
 * use it so nothing is mocked and nothing leaves the machine. Not exported from `index.ts`.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, server: LoopbackTestServer) => void;

export interface RecordedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

export interface LoopbackTestServer {
  /** `http://127.0.0.1:<port>` (or https). */
  readonly origin: string;
  readonly port: number;
  /** Absolute URL of a path on this server. */
  url(path: string): string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** TCP connections accepted so far. */
  connections: number;
  /** Requests being handled right now, and the most ever at once. */
  inFlight: number;
  maxInFlight: number;
  /** Closes the server and every open connection. */
  close(): Promise<void>;
}

const fixtures = fileURLToPath(new URL('../../tests/fixtures/fetch/', import.meta.url));

/** The test-only self-signed certificate for 127.0.0.1 / localhost (see tests/fixtures/fetch/README.md). */
export const TEST_TLS = {
  cert: readFileSync(`${fixtures}test-only-loopback.crt`, 'utf8'),
  key: readFileSync(`${fixtures}test-only-loopback.key`, 'utf8'),
};

/**
 * Starts a server on 127.0.0.1 at a free port. `routes` maps a path (without query) to its handler; other paths get a
 * 404. The handler may call `server.url()` to build redirects.
 */
export async function startLoopbackTestServer(
  routes: Record<string, RouteHandler>,
  options: { https?: boolean } = {},
): Promise<LoopbackTestServer> {
  const sockets = new Set<Socket>();
  let self!: LoopbackTestServer;
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    self.requests.push({ path, headers: req.headers });
    self.inFlight++;
    self.maxInFlight = Math.max(self.maxInFlight, self.inFlight);
    res.on('close', () => self.inFlight--);
    const route = routes[path];
    if (route) route(req, res, self);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('no such route');
  };
  const server: Server = options.https ? createHttpsServer(TEST_TLS, handle) : createHttpServer(handle);
  server.on('connection', (socket: Socket) => {
    self.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // TLS failures (our client refusing the certificate) are what some tests provoke; they are not server errors.
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `${options.https ? 'https' : 'http'}://127.0.0.1:${port}`;
  self = {
    origin,
    port,
    url: (path) => `${origin}${path}`,
    requests: [],
    connections: 0,
    inFlight: 0,
    maxInFlight: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return self;
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function findClosedPort(): Promise<number> {
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
