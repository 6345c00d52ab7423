import { describe, expect, it } from 'vitest';
import { defineBody, enclosingBlocks, lintTemplate, PLACEHOLDER, renderSubset, setAside } from './helm-template.js';
import { rbacAllows } from './rbac-allows.js';

const TEMPLATE = [
  '{{/* a comment',
  '   over two lines */}}',
  '{{- if .Values.enabled }}',
  'kind: ConfigMap',
  'metadata:',
  '  name: {{ include "x.fullname" . }}-config',
  '  labels:',
  '    {{- include "x.labels" . | nindent 4 }}',
  'data:',
  '  {{- if or .Values.a .Values.b }}',
  '  mode: {{ .Values.mode | quote }}',
  '  {{- else }}',
  '  other: "{{ .Values.mode }}"',
  '  {{- end }}',
  '  list: {{ .Values.list | toJson }}',
  '{{- end }}',
].join('\n');

describe('lintTemplate', () => {
  it('finds nothing wrong in a well-formed template', () => {
    expect(lintTemplate(TEMPLATE)).toEqual([]);
  });

  it('reports an unclosed block, a stray end or else, and an unknown function, with lines', () => {
    expect(lintTemplate('{{- if .Values.a }}\nx: 1\n')).toEqual(['line 1: if is never closed with end']);
    expect(lintTemplate('x: 1\n{{- end }}')).toEqual(['line 2: end without a block to close']);
    expect(lintTemplate('{{ else }}')).toEqual(['line 1: else outside if/with/range']);
    expect(lintTemplate('a: {{ .Values.a | nident 4 }}')).toEqual(["line 1: unknown function 'nident'"]);
    expect(lintTemplate('a: {{ .Values.a')).toEqual(["line 1: '{{' is never closed"]);
  });

  it('does not take strings, fields or variables for functions', () => {
    expect(lintTemplate('{{ printf "%s-nident" .Values.nident }} {{ $x := .Values.y }}{{ $x }}')).toEqual([]);
  });
});

describe('setAside', () => {
  it('drops directive-only lines, keeps every branch and turns inline directives into a placeholder', () => {
    expect(setAside(TEMPLATE).split('\n')).toEqual([
      '',
      'kind: ConfigMap',
      'metadata:',
      `  name: ${PLACEHOLDER}-config`,
      '  labels:',
      'data:',
      `  mode: ${PLACEHOLDER}`,
      `  other: "${PLACEHOLDER}"`,
      `  list: ${PLACEHOLDER}`,
    ]);
  });
});

describe('renderSubset', () => {
  it('evaluates if/else on .Values and pipes to quote and toJson, setting the rest aside', () => {
    const rendered = renderSubset(TEMPLATE, { enabled: true, a: false, b: ['x'], mode: 'fast', list: ['p', 'q'] });
    expect(rendered).toContain('  mode: "fast"');
    expect(rendered).not.toContain('other:');
    expect(rendered).toContain('  list: ["p","q"]');
    expect(renderSubset(TEMPLATE, { enabled: true, a: '', b: {}, mode: 'slow', list: [] })).toContain('other: "slow"');
    expect(renderSubset(TEMPLATE, { enabled: 0, mode: 'x', list: [] }).trim()).toBe('');
  });

  it('refuses what it cannot evaluate rather than guess', () => {
    expect(() => renderSubset('{{- range .Values.items }}\n{{- end }}', { items: [] })).toThrow(/outside the subset/);
    expect(() => renderSubset('{{- if eq .Values.a "b" }}\n{{- end }}', { a: 'b' })).toThrow(/outside the subset/);
    expect(() => renderSubset('a: {{ .Values.a | upper }}', { a: 'b' })).toThrow(/outside the subset/);
    expect(() => renderSubset('a: {{ .Values.missing }}', {})).toThrow(/values have no .Values.missing/);
  });
});

describe('defineBody and enclosingBlocks', () => {
  it('return a named template with its nested blocks, and the blocks around a line', () => {
    const helpers = '{{- define "a" -}}\n{{- if .Values.x }}x{{- end }}\n{{- end -}}\n{{- define "b" -}}b{{- end -}}';
    expect(defineBody(helpers, 'a')).toBe('\n{{- if .Values.x }}x{{- end }}\n');
    expect(defineBody(helpers, 'b')).toBe('b');
    expect(enclosingBlocks(TEMPLATE, 'mode:')).toEqual(['if .Values.enabled', 'if or .Values.a .Values.b']);
    expect(enclosingBlocks(TEMPLATE, 'other:')).toEqual(['if .Values.enabled', 'if or .Values.a .Values.b (else)']);
  });
});

describe('rbacAllows', () => {
  it('matches groups, resources, subresources and verbs as the API server does', () => {
    const rules = [
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
      { apiGroups: ['apps'], resources: ['deployments/*'], verbs: ['get'] },
      { apiGroups: ['keda.sh'], resources: ['*'], verbs: ['list'] },
    ];
    expect(rbacAllows(rules, { verb: 'list', group: '', resource: 'pods' })).toBe(true);
    expect(rbacAllows(rules, { verb: 'get', group: '', resource: 'pods/log' })).toBe(false);
    expect(rbacAllows(rules, { verb: 'get', group: 'apps', resource: 'deployments/scale' })).toBe(true);
    expect(rbacAllows(rules, { verb: 'get', group: 'apps', resource: 'deployments' })).toBe(false);
    expect(rbacAllows(rules, { verb: 'list', group: 'keda.sh', resource: 'scaledobjects' })).toBe(true);
    expect(rbacAllows(rules, { verb: 'list', group: '', resource: 'secrets' })).toBe(false);
  });
});
