import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HolmesError } from '../../core/errors.js';
import type { KubeObject } from '../../core/kube-object.js';
import type { ScenarioLog } from '../scenario.js';
import { handleKubeRequest, type KubeHandlerContext, type KubeResponse } from './handle-kube-request.js';
import { createKindRegistry } from './kind-registry.js';
import { createKubeStore } from './kube-store.js';
import { kubeStatus } from './kube-status.js';

export interface KubeApiServerOptions {
  objects: KubeObject[];
  logs: ScenarioLog[];
  /** The moment ages and `sinceSeconds` are measured from; the wall clock when absent. */
  now?: Date;
  host?: string;
  port?: number;
}

/** One request as it arrived, for proofs that an investigation only read. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
}

export interface KubeApiServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * A read-only Kubernetes API endpoint serving a scenario's objects and logs through the real
 * paths, so `@kubernetes/client-node` and `kubectl --server URL` work against it unchanged.
 */
export async function startKubeApiServer(options: KubeApiServerOptions): Promise<KubeApiServer> {
  const host = options.host ?? '127.0.0.1';
  const requests: RecordedRequest[] = [];
  const fixedNow = options.now;
  // The objects were checked when the scenario loaded; kinds they imply are served as they are.
  const { registry } = createKindRegistry(options.objects);
  const context: KubeHandlerContext = {
    kinds: registry,
    store: createKubeStore(options.objects, registry),
    logs: options.logs,
    now: () => fixedNow ?? new Date(),
    serverAddress: '',
  };

  const respond = (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://lab.invalid');
    const method = (request.method ?? 'GET').toUpperCase();
    requests.push({ method, path: url.pathname, query: Object.fromEntries(url.searchParams) });
    let result: KubeResponse;
    try {
      result = handleKubeRequest(context, { method, url, accept: request.headers.accept });
    } catch (error) {
      // A bug in the lab must reach the client as a Status, not a dropped connection.
      const status = kubeStatus(
        500,
        `the Holmes lab Kubernetes API failed on ${method} ${url.pathname}: ${String(error)}`,
      );
      result = { status: 500, contentType: 'application/json', body: JSON.stringify(status) };
    }
    response.writeHead(result.status, {
      'content-type': result.contentType,
      'content-length': Buffer.byteLength(result.body),
      'cache-control': 'no-cache, private',
    });
    response.end(result.body);
  };

  const server = createServer((request, response) => {
    // Bodies of refused writes are drained so the client sees the Status instead of a reset.
    request.resume();
    request.on('end', () => respond(request, response));
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) =>
      reject(
        new HolmesError(
          'LAB_START_FAILED',
          `The lab's Kubernetes API could not listen on ${host}:${options.port ?? 0}: ${error.message}`,
          {
            cause: error,
            fix: 'Choose another port (or 0 for any free one) and a loopback host such as 127.0.0.1.',
          },
        ),
      );
    server.once('error', onError);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', onError);
      resolve();
    });
  });

  const address = server.address() as AddressInfo;
  context.serverAddress = `${formatHost(address.address)}:${address.port}`;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${context.serverAddress}`,
    requests,
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive clients (kubectl, client-node) would otherwise hold close() open.
        server.closeAllConnections();
      })),
  };
}
