import { describe, expect, it } from 'vitest';
import { dnsFailures, lookupFailure } from '../../../src/toolsets/builtins/dns-failures.js';
import { fakeKube } from '../fake-clients.js';
import { ago, context, object } from './kube-objects.js';

describe('lookupFailure', () => {
  it('tells NXDOMAIN from timeouts in Go, Python, Node and curl wording', () => {
    expect(
      lookupFailure('dial tcp: lookup feature-store.feat.svc.cluster.local on 10.0.0.10:53: no such host'),
    ).toEqual({
      kind: 'nxdomain',
      host: 'feature-store.feat.svc.cluster.local',
    });
    expect(
      lookupFailure(
        'dial tcp: lookup tickets.corp.internal on 10.96.0.10:53: read udp 10.244.3.31:49000->10.96.0.10:53: i/o timeout',
      ),
    ).toEqual({
      kind: 'timeout',
      host: 'tickets.corp.internal',
    });
    expect(lookupFailure('dial tcp: lookup llm-gw.corp.internal on 10.96.0.10:53: server misbehaving')?.kind).toBe(
      'timeout',
    );
    expect(lookupFailure('Error: getaddrinfo ENOTFOUND payments.shop.svc')).toEqual({
      kind: 'nxdomain',
      host: 'payments.shop.svc',
    });
    expect(lookupFailure('socket.gaierror: [Errno -3] Temporary failure in name resolution')?.kind).toBe('timeout');
    expect(lookupFailure('dial tcp 10.1.2.3:6379: i/o timeout')).toBeNull();
  });
});

describe('dnsFailures', () => {
  it('finds the Service behind an NXDOMAIN gone, with the ones created since', async () => {
    const line = 'err="dial tcp: lookup feature-store.feat.svc.cluster.local on 10.0.0.10:53: no such host"';
    const kube = fakeKube({
      objects: [
        object('Pod', 'ranker-84b7c6d9f5-c2vbx', 'mkt', {
          spec: { containers: [{ name: 'ranker' }] },
          status: { phase: 'Running' },
        }),
        object('Service', 'feast-feature-server', 'feat', { metadata: { creationTimestamp: ago(40) } }),
        object('Pod', 'coredns-1', 'kube-system', {
          metadata: { labels: { 'k8s-app': 'kube-dns' } },
          status: { conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ restartCount: 0 }] },
        }),
      ],
      logs: { 'mkt/ranker-84b7c6d9f5-c2vbx/ranker': `started\n${line}\n${line}\n${line}\n` },
    });
    const output = await dnsFailures({ namespace: 'mkt', workload: 'ranker', alert_start: ago(24) }, context(kube));
    expect(output.data).toMatchObject({
      linesRead: 4,
      nxdomain: 3,
      timeouts: 0,
      failing: [{ host: 'feature-store.feat.svc.cluster.local', kind: 'nxdomain', count: 3 }],
      missingServices: [
        {
          service: 'feature-store',
          namespace: 'feat',
          services: [{ name: 'feast-feature-server', minutesBeforeAlert: 16 }],
        },
      ],
    });
  });
});
