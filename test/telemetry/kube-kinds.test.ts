import { describe, expect, it } from 'vitest';
import { KUBE_KINDS, findKubeKind, resolveKubeKind } from '../../src/telemetry/kube-kinds.js';

describe('resolveKubeKind', () => {
  it.each([
    ['Pod', 'Pod'],
    ['pods', 'Pod'],
    ['po', 'Pod'],
    ['PO', 'Pod'],
    ['deploy', 'Deployment'],
    ['deployments.apps', 'Deployment'],
    ['rs', 'ReplicaSet'],
    ['sts', 'StatefulSet'],
    ['ds', 'DaemonSet'],
    ['svc', 'Service'],
    ['cm', 'ConfigMap'],
    ['hpa', 'HorizontalPodAutoscaler'],
    ['pvc', 'PersistentVolumeClaim'],
    ['ns', 'Namespace'],
    ['no', 'Node'],
    ['ev', 'Event'],
    ['jobs', 'Job'],
    ['CronJobs', 'CronJob'],
    ['resourcequota', 'ResourceQuota'],
  ])('resolves %s to %s', (name, kind) => {
    expect(resolveKubeKind(name).kind).toBe(kind);
  });

  it('refuses Secrets with a message saying Holmes never reads them', () => {
    for (const name of ['Secret', 'secrets', ' SECRETS ']) {
      expect(() => resolveKubeKind(name)).toThrow(
        expect.objectContaining({
          code: 'READ_ONLY_VIOLATION',
          message: expect.stringContaining('never reads Secrets'),
        }),
      );
    }
  });

  it('refuses unknown kinds and lists the readable ones', () => {
    expect(() => resolveKubeKind('ingress')).toThrow(
      expect.objectContaining({ code: 'READ_ONLY_VIOLATION', fix: expect.stringContaining('HorizontalPodAutoscaler') }),
    );
    expect(findKubeKind('deployments.batch')).toBeUndefined();
  });

  it('has no Secret entry and no name claimed by two kinds', () => {
    const names = KUBE_KINDS.flatMap((entry) => [
      ...new Set([entry.kind.toLowerCase(), entry.plural, ...entry.shortNames]),
    ]);
    expect(new Set(names).size).toBe(names.length);
    expect(names.some((name) => name.startsWith('secret'))).toBe(false);
  });
});
