import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export interface WriteKubeconfigOptions {
  /** The lab's Kubernetes API, e.g. http://127.0.0.1:39211. */
  url: string;
  path: string;
  /** The context's default namespace. */
  namespace?: string;
}

const NAME = 'holmes-lab';

/**
 * A kubeconfig with one cluster, user and context for the lab. Plain http and a dummy token:
 * the lab checks no credentials, but clients expect a user to exist.
 */
export async function writeKubeconfig(options: WriteKubeconfigOptions): Promise<void> {
  const context: Record<string, string> = { cluster: NAME, user: NAME };
  if (options.namespace) context.namespace = options.namespace;
  const kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    // @kubernetes/client-node 1.x refuses plain http unless TLS verification is marked skipped.
    clusters: [{ name: NAME, cluster: { server: options.url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: NAME, user: { token: 'holmes-lab-not-a-secret' } }],
    contexts: [{ name: NAME, context }],
    'current-context': NAME,
  };
  await mkdir(dirname(options.path), { recursive: true });
  await writeFile(options.path, stringify(kubeconfig), { mode: 0o600 });
}
