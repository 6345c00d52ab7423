import {
  IsomorphicFetchHttpLibrary,
  KubeConfig,
  Observable,
  ServerConfiguration,
  createConfiguration,
} from '@kubernetes/client-node';
import type { Configuration, HttpLibrary, ObservableMiddleware, RequestContext } from '@kubernetes/client-node';
import { HolmesError } from '../core/errors.js';
import { assertKubeReadOnly } from './assert-kube-read-only.js';
import type { TelemetryStatsRecorder } from './telemetry-stats.js';

export interface KubeConnectionOptions {
  /** A kubeconfig file; its current context (or `context`) is used. */
  kubeconfigPath?: string;
  /** An API server URL used as is, without credentials (e.g. the lab's plain-http server). */
  server?: string;
  /** Use the pod's service account. */
  inCluster?: boolean;
  context?: string;
  /** Per request; default 15 000. */
  timeoutMs?: number;
}

export interface KubeConfiguration {
  /** A client-node configuration whose HTTP layer refuses anything but reads. */
  configuration: Configuration;
  server: string;
  timeoutMs: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * Builds the client-node configuration every Kubernetes call goes through. The read-only guard
 * sits in two places: a middleware `pre` hook and the HTTP library itself, so a call made with
 * replaced middleware is still refused before anything is sent.
 */
export function createKubeConfiguration(
  options: KubeConnectionOptions,
  stats?: TelemetryStatsRecorder,
): KubeConfiguration {
  const kubeConfig = loadKubeConfig(options);
  // Paths are appended to the server URL, so a trailing slash would double up.
  const server = (kubeConfig.getCurrentCluster()?.server ?? '').replace(/\/+$/, '');
  const basePath = new URL(server).pathname;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  const guard = (context: RequestContext): HolmesError | undefined => {
    try {
      assertKubeReadOnly(context.getHttpMethod(), context.getUrl(), basePath);
      return undefined;
    } catch (error) {
      const url = new URL(context.getUrl());
      stats?.record({
        target: 'kubernetes',
        method: context.getHttpMethod(),
        request: `${url.pathname}${url.search}`,
        outcome: 'refused',
        durationMs: 0,
      });
      return error as HolmesError;
    }
  };
  const fetchLibrary = new IsomorphicFetchHttpLibrary();
  const httpApi: HttpLibrary = {
    send(context) {
      const refused = guard(context);
      if (refused) return new Observable(Promise.reject(refused));
      if (!context.getSignal()) context.setSignal(AbortSignal.timeout(timeoutMs));
      return fetchLibrary.send(context);
    },
  };
  const middleware: ObservableMiddleware = {
    pre(context) {
      const refused = guard(context);
      return new Observable(refused ? Promise.reject(refused) : Promise.resolve(context));
    },
    post: (context) => new Observable(Promise.resolve(context)),
  };

  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(server, {}),
    authMethods: { default: kubeConfig },
    httpApi,
    middleware: [middleware],
  });
  return { configuration, server, timeoutMs };
}

function loadKubeConfig(options: KubeConnectionOptions): KubeConfig {
  const kubeConfig = new KubeConfig();
  if (options.server !== undefined) {
    if (options.kubeconfigPath !== undefined || options.inCluster) {
      throw new HolmesError(
        'CONFIG_INVALID',
        'Kubernetes server was given together with a kubeconfig or in-cluster mode.',
        {
          fix: 'Set either server (a URL used without credentials) or kubeconfigPath/inCluster, not both.',
        },
      );
    }
    if (!/^https?:\/\//.test(options.server)) {
      throw new HolmesError('CONFIG_INVALID', `Kubernetes server '${options.server}' is not an http(s) URL.`, {
        fix: 'Set the server to the API server address, e.g. http://127.0.0.1:8001.',
      });
    }
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'holmes', server: options.server.replace(/\/+$/, ''), skipTLSVerify: false }],
      users: [{ name: 'holmes' }],
      contexts: [{ name: 'holmes', cluster: 'holmes', user: 'holmes' }],
      currentContext: 'holmes',
    });
  } else if (options.inCluster) {
    if (!process.env.KUBERNETES_SERVICE_HOST) {
      throw new HolmesError(
        'CONFIG_INVALID',
        'In-cluster Kubernetes access was asked for, but KUBERNETES_SERVICE_HOST is not set.',
        {
          fix: 'Run Holmes inside a pod with a service account, or set kubeconfigPath or server instead.',
        },
      );
    }
    kubeConfig.loadFromCluster();
  } else if (options.kubeconfigPath !== undefined) {
    try {
      kubeConfig.loadFromFile(options.kubeconfigPath);
    } catch (error) {
      const missing = (error as { code?: string }).code === 'ENOENT';
      throw new HolmesError(
        missing ? 'CONFIG_NOT_FOUND' : 'CONFIG_INVALID',
        `Cannot load kubeconfig ${options.kubeconfigPath}: ${(error as Error).message}`,
        {
          cause: error,
          fix: 'Point kubeconfigPath at a readable kubeconfig file (as kubectl uses), or set server or inCluster instead.',
        },
      );
    }
  } else {
    kubeConfig.loadFromDefault();
  }

  if (options.context !== undefined) {
    const names = kubeConfig.getContexts().map((context) => context.name);
    if (!names.includes(options.context)) {
      throw new HolmesError('CONFIG_INVALID', `Kubernetes context '${options.context}' is not in the kubeconfig.`, {
        fix: `Use one of: ${names.join(', ') || '(none)'}.`,
      });
    }
    kubeConfig.setCurrentContext(options.context);
  }
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) {
    throw new HolmesError('CONFIG_INVALID', 'The kubeconfig has no current cluster.', {
      fix: 'Set current-context in the kubeconfig, pass a context, or set server.',
    });
  }
  if (!URL.canParse(cluster.server)) {
    throw new HolmesError('CONFIG_INVALID', `Kubernetes server '${cluster.server}' in the kubeconfig is not a URL.`, {
      fix: 'Set the cluster server in the kubeconfig to the API server URL, e.g. https://10.0.0.1:6443.',
    });
  }
  // client-node refuses plain-http servers unless skipTLSVerify is set, although there is no TLS to verify.
  if (cluster.server.startsWith('http:') && !cluster.skipTLSVerify) {
    kubeConfig.clusters = kubeConfig.clusters.map((entry) =>
      entry === cluster ? { ...entry, skipTLSVerify: true } : entry,
    );
  }
  return kubeConfig;
}
