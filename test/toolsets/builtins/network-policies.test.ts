import { describe, expect, it } from 'vitest';
import { networkPolicies } from '../../../src/toolsets/builtins/network-policies.js';
import { fakeKube } from '../fake-clients.js';
import { ago, context, object } from './kube-objects.js';

const namespace = (name: string, labels: Record<string, string> = {}) =>
  object('Namespace', name, undefined, { metadata: { labels: { 'kubernetes.io/metadata.name': name, ...labels } } });
const pod = (ns: string, name: string, labels: Record<string, string>) =>
  object('Pod', name, ns, {
    metadata: { labels },
    spec: { containers: [{ name: 'main' }] },
    status: { phase: 'Running' },
  });

describe('networkPolicies', () => {
  it('flags a default-deny egress that allows only DNS, changed just before the alert, and the timeouts it causes', async () => {
    const kube = fakeKube({
      objects: [
        namespace('chat'),
        namespace('kube-system'),
        pod('chat', 'orchestrator-5b7d9c8f6d-d4xkw', { app: 'orchestrator' }),
        pod('kube-system', 'coredns-1', { 'k8s-app': 'kube-dns' }),
        object('NetworkPolicy', 'default-deny-egress', 'chat', {
          metadata: { creationTimestamp: ago(22), managedFields: [{ manager: 'argocd', time: ago(22) }] },
          spec: {
            podSelector: {},
            policyTypes: ['Egress'],
            egress: [
              {
                to: [
                  {
                    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                    podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
                  },
                ],
                ports: [
                  { port: 53, protocol: 'UDP' },
                  { port: 53, protocol: 'TCP' },
                ],
              },
            ],
          },
        }),
        object('NetworkPolicy', 'other-app', 'chat', {
          spec: { podSelector: { matchLabels: { app: 'other' } }, policyTypes: ['Ingress'] },
        }),
      ],
      logs: {
        'chat/orchestrator-5b7d9c8f6d-d4xkw/main':
          'ERROR redis: Timeout connecting to server session-redis.data.svc:6379\nERROR httpx.ConnectTimeout url=http://vllm.llm.svc:8000/v1\n',
      },
    });
    const output = await networkPolicies(
      { namespace: 'chat', workload: 'orchestrator', alert_start: ago(18) },
      context(kube),
    );
    expect(output.data).toMatchObject({
      policies: [
        {
          name: 'default-deny-egress',
          types: ['Egress'],
          changedMinutesBeforeAlert: 4,
          egressDnsOnly: true,
          denyAllEgress: false,
          deadPeers: [],
        },
      ],
      isolated: { ingress: false, egress: true },
      timeouts: 2,
    });
  });

  it('finds an ingress rule whose namespace selector matches no namespace', async () => {
    const kube = fakeKube({
      objects: [
        namespace('fraud'),
        namespace('gateway-system'),
        pod('fraud', 'triton-79d8c6f5b4-4jkq9', { app: 'triton' }),
        pod('gateway-system', 'envoy-1', { 'app.kubernetes.io/name': 'envoy' }),
        object('NetworkPolicy', 'allow-from-gateway', 'fraud', {
          spec: {
            podSelector: { matchLabels: { app: 'triton' } },
            policyTypes: ['Ingress'],
            ingress: [
              {
                from: [
                  {
                    namespaceSelector: { matchLabels: { team: 'edge-gateway' } },
                    podSelector: { matchLabels: { 'app.kubernetes.io/name': 'envoy' } },
                  },
                ],
                ports: [{ port: 8000 }],
              },
            ],
          },
        }),
      ],
    });
    const data = (await networkPolicies({ namespace: 'fraud', workload: 'triton' }, context(kube))).data as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(data.policies[0].deadPeers).toEqual([
      'namespaces team=edge-gateway and pods app.kubernetes.io/name=envoy (8000/TCP)',
    ]);
  });
});
