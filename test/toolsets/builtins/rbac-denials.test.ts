import { describe, expect, it } from 'vitest';
import { parseDenial, rbacDenials, ruleAllows } from '../../../src/toolsets/builtins/rbac-denials.js';
import { fakeKube } from '../fake-clients.js';
import { ago, context, object } from './kube-objects.js';

const LINE =
  '{"level":"error","error":"jobs.batch is forbidden: User \\"system:serviceaccount:evalops:dispatcher\\" cannot create resource \\"jobs\\" in API group \\"batch\\" in the namespace \\"evalops\\""}';

describe('parseDenial', () => {
  it('reads who, verb, resource, group and namespace, quotes escaped or not', () => {
    expect(parseDenial(LINE)).toEqual({
      user: 'system:serviceaccount:evalops:dispatcher',
      verb: 'create',
      resource: 'jobs',
      group: 'batch',
      namespace: 'evalops',
    });
    expect(
      parseDenial(
        'nodes is forbidden: User "system:serviceaccount:a:b" cannot list resource "nodes" in API group "" at the cluster scope',
      ),
    ).toMatchObject({ resource: 'nodes', group: '', namespace: null });
    expect(parseDenial('403 from the payments API')).toBeNull();
  });
});

describe('ruleAllows', () => {
  it('grants by exact names or wildcards only', () => {
    expect(
      ruleAllows(
        { apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'list', 'watch'] },
        { verb: 'create', resource: 'jobs', group: 'batch' },
      ),
    ).toBe(false);
    expect(
      ruleAllows(
        { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
        { verb: 'create', resource: 'jobs', group: 'batch' },
      ),
    ).toBe(true);
  });
});

describe('rbacDenials', () => {
  it('ties the refused request to the bound Role that lacks it and when that Role changed', async () => {
    const kube = fakeKube({
      objects: [
        object('Pod', 'dispatcher-7b9f6d5c8c-q8xlm', 'evalops', {
          spec: { serviceAccountName: 'dispatcher', containers: [{ name: 'main' }] },
          status: { phase: 'Running' },
        }),
        object('Role', 'dispatcher', 'evalops', {
          metadata: { managedFields: [{ manager: 'helm', time: ago(72) }] },
          rules: [{ apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'list', 'watch'] }],
        }),
        object('RoleBinding', 'dispatcher', 'evalops', {
          roleRef: { kind: 'Role', name: 'dispatcher' },
          subjects: [{ kind: 'ServiceAccount', name: 'dispatcher', namespace: 'evalops' }],
        }),
        object('RoleBinding', 'unrelated', 'evalops', {
          roleRef: { kind: 'Role', name: 'x' },
          subjects: [{ kind: 'ServiceAccount', name: 'other' }],
        }),
      ],
      logs: { 'evalops/dispatcher-7b9f6d5c8c-q8xlm/main': `${LINE}\n${LINE}\n` },
    });
    const output = await rbacDenials(
      { namespace: 'evalops', workload: 'dispatcher', alert_start: ago(38) },
      context(kube),
    );
    expect(output.data).toMatchObject({
      serviceAccounts: ['dispatcher'],
      denials: [{ verb: 'create', resource: 'jobs', group: 'batch', count: 2, grantedNow: false }],
      stillDenied: ['create jobs.batch'],
      bindings: [
        {
          binding: 'RoleBinding/dispatcher',
          role: 'Role/dispatcher',
          roleExists: true,
          roleChangedMinutesBeforeAlert: 34,
          rules: ['get,list,watch jobs (batch)'],
        },
      ],
    });
  });
});
