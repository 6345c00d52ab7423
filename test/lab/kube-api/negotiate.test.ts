import { describe, expect, it } from 'vitest';
import { negotiateShape, parseIncludeObject } from '../../../src/lab/kube-api/negotiate.js';

describe('negotiateShape', () => {
  it('chooses a Table when kubectl lists as=Table first', () => {
    expect(
      negotiateShape(
        'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
      ),
    ).toEqual({
      type: 'table',
      version: 'v1',
    });
    expect(negotiateShape('application/json;as=Table;v=v1beta1;g=meta.k8s.io')).toEqual({
      type: 'table',
      version: 'v1beta1',
    });
  });

  it('falls back to plain JSON when the client asks for aggregated discovery, protobuf or nothing', () => {
    expect(
      negotiateShape('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json'),
    ).toEqual({ type: 'json' });
    expect(negotiateShape('application/vnd.kubernetes.protobuf, */*')).toEqual({ type: 'json' });
    expect(negotiateShape(undefined)).toEqual({ type: 'json' });
  });

  it('chooses metadata only when the client asks for PartialObjectMetadataList', () => {
    expect(negotiateShape('application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1')).toEqual({
      type: 'metadata',
      version: 'v1',
    });
  });
});

describe('parseIncludeObject', () => {
  it('defaults to Metadata when the parameter is absent or unknown', () => {
    expect(parseIncludeObject(null)).toBe('Metadata');
    expect(parseIncludeObject('Everything')).toBe('Metadata');
    expect(parseIncludeObject('Object')).toBe('Object');
  });
});
