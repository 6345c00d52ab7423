import { HolmesError } from '../core/errors.js';

// Subresources that run code, open a stream into a container or reach through the API server.
const REFUSED_SUBRESOURCES: ReadonlySet<string> = new Set(['exec', 'attach', 'portforward', 'proxy']);
// Legacy top-level paths: /api/v1/watch/... and /api/v1/proxy/...
const REFUSED_ROOTS: ReadonlySet<string> = new Set(['watch', 'proxy']);

function refuse(method: string, path: string, why: string): never {
  throw new HolmesError(
    'READ_ONLY_VIOLATION',
    `Refused ${method} ${path}: ${why} Holmes is read-only towards Kubernetes.`,
    {
      fix: 'Read through the Kubernetes client (list, get, podLogs, events, version); Holmes sends only GET requests and never reads Secrets, execs, attaches, port-forwards, proxies or watches.',
      details: { method, path },
    },
  );
}

/**
 * The HTTP-level guard: throws unless the request is a GET that reads no Secret and opens no
 * exec/attach/portforward/proxy/watch. Paths are parsed (not substring-matched), so a pod named
 * `proxy-7d9f` stays readable while `.../pods/x/proxy` is refused. `basePath` is the server
 * URL's own path prefix, if any.
 */
export function assertKubeReadOnly(method: string, url: string, basePath = ''): void {
  const parsed = new URL(url);
  const shown = `${parsed.pathname}${parsed.search}`;
  if (method.toUpperCase() !== 'GET') refuse(method, shown, 'only GET is allowed.');
  if (parsed.searchParams.has('watch')) refuse(method, shown, 'watches are not allowed.');

  let path: string;
  try {
    // Decode first: the API server routes on the decoded path, so `secrets%2Fx` must not slip through.
    path = decodeURIComponent(parsed.pathname).toLowerCase();
  } catch {
    refuse(method, shown, 'the path is not valid percent-encoding.');
  }
  const prefix = basePath.replace(/\/+$/, '').toLowerCase();
  if (prefix && path.startsWith(`${prefix}/`)) path = path.slice(prefix.length);
  const segments = path.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '.' || segment === '..'))
    refuse(method, shown, 'dot segments are not allowed.');

  const root = segments[0] === 'api' ? 2 : segments[0] === 'apis' ? 3 : -1;
  if (root < 0) return; // /version, /healthz and other non-resource paths
  if (segments[0] === 'apis' && segments[1] === 'secrets') refuse(method, shown, 'Holmes never reads Secrets.');
  const rest = segments.slice(root);
  if (REFUSED_ROOTS.has(rest[0] ?? '')) refuse(method, shown, `/${rest[0]} endpoints are not allowed.`);

  // namespaces/<ns>/<resource>/<name>/<subresource>… or <resource>/<name>/<subresource>…
  const namespaced = rest[0] === 'namespaces' && rest.length >= 3;
  const resource = namespaced ? rest[2] : rest[0];
  const subresources = namespaced ? rest.slice(4) : rest.slice(2);
  // The secrets resource of any group: custom resources are read generically, so the group is no guard.
  if (resource === 'secrets') refuse(method, shown, 'Holmes never reads Secrets.');
  const blocked = subresources.find((segment) => REFUSED_SUBRESOURCES.has(segment));
  if (blocked) refuse(method, shown, `the ${blocked} subresource is not allowed.`);
}
