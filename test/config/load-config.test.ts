import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { redactConfig } from '../../src/config/redact-config.js';
import { resolveSecret } from '../../src/config/secret.js';
import { HolmesError } from '../../src/core/errors.js';

function configFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'holmes-config-test-'));
  const file = join(dir, 'holmes.yaml');
  writeFileSync(file, text);
  return file;
}

function catchError(run: () => unknown): HolmesError {
  try {
    run();
  } catch (error) {
    if (HolmesError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a HolmesError');
}

const cwd = mkdtempSync(join(tmpdir(), 'holmes-config-cwd-'));

describe('loadConfig', () => {
  it('fills defaults when no file exists', () => {
    const { config, file } = loadConfig({ env: { XDG_CONFIG_HOME: cwd }, cwd });
    expect(file).toBeUndefined();
    expect(config.prometheus.timeoutMs).toBe(15_000);
    expect(config.toolsets.maxOutputTokens).toBe(2_000);
    expect(config.kubernetes.inCluster).toBe(false);
  });

  it('reports unknown keys with their path and line', () => {
    const file = configFile('prometheus:\n  url: http://p:9090\n  tiemout: 3\n');
    const error = catchError(() => loadConfig({ file, env: {}, cwd }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]).toMatchObject({ path: 'prometheus.tiemout', file, line: 3 });
    expect(error.issues[0]!.message).toContain('unknown key');
  });

  it('reports wrong types with their path and line', () => {
    const file = configFile('log:\n  level: warn\ntoolsets:\n  maxOutputTokens: lots\n');
    const error = catchError(() => loadConfig({ file, env: {}, cwd }));
    expect(error.issues[0]).toMatchObject({ path: 'toolsets.maxOutputTokens', line: 4 });
  });

  it('reads team namespaces and rejects one that is not a namespace name, with its path and line', () => {
    const good = configFile('kubernetes:\n  teamNamespaces:\n    vision: [vision-prod, vision-lab]\n');
    expect(loadConfig({ file: good, env: {}, cwd }).config.kubernetes.teamNamespaces).toEqual({
      vision: ['vision-prod', 'vision-lab'],
    });
    const bad = configFile('kubernetes:\n  teamNamespaces:\n    vision:\n      - vision-prod\n      - Vision_Lab\n');
    const error = catchError(() => loadConfig({ file: bad, env: {}, cwd }));
    expect(error.issues[0]).toMatchObject({ path: 'kubernetes.teamNamespaces.vision[1]', line: 5 });
    expect(error.issues[0]!.message).toContain('namespace name');
  });

  it('fails with CONFIG_NOT_FOUND naming the path when --config points nowhere', () => {
    const error = catchError(() => loadConfig({ file: join(cwd, 'missing.yaml'), env: {}, cwd }));
    expect(error.code).toBe('CONFIG_NOT_FOUND');
    expect(error.message).toContain('missing.yaml');
    expect(error.isUserError).toBe(true);
  });

  it('applies HOLMES_* environment variables over the file, and flags over both', () => {
    const file = configFile('prometheus:\n  url: http://from-file:9090\n  timeoutMs: 1000\n');
    const env = {
      HOLMES_PROMETHEUS_URL: 'http://from-env:9090',
      HOLMES_TOOLSETS_MAX_OUTPUT_TOKENS: '4000',
      HOLMES_KUBERNETES_IN_CLUSTER: 'true',
    };
    const { config } = loadConfig({ file, env, cwd, overrides: { prometheus: { timeoutMs: 2500 } } });
    expect(config.prometheus.url).toBe('http://from-env:9090');
    expect(config.prometheus.timeoutMs).toBe(2500);
    expect(config.toolsets.maxOutputTokens).toBe(4000);
    expect(config.kubernetes.inCluster).toBe(true);
  });

  it('warns about HOLMES_* variables that name no field instead of failing', () => {
    const { warnings } = loadConfig({ env: { HOLMES_PROMETHEUS_URLL: 'x', XDG_CONFIG_HOME: cwd }, cwd });
    expect(warnings).toEqual([expect.stringContaining('HOLMES_PROMETHEUS_URLL')]);
  });

  it('reads HOLMES_CONFIG when no --config is given', () => {
    const file = configFile('log:\n  level: debug\n');
    expect(loadConfig({ env: { HOLMES_CONFIG: file }, cwd }).config.log.level).toBe('debug');
  });

  it('rejects a YAML syntax error with its line', () => {
    const file = configFile('prometheus:\n  url: [unclosed\n');
    const error = catchError(() => loadConfig({ file, env: {}, cwd }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.issues[0]?.line).toBeGreaterThanOrEqual(2);
  });
});

describe('redactConfig', () => {
  it('never shows a literal secret or an Authorization header', () => {
    const file = configFile(
      'prometheus:\n  bearerToken: s3cr3t-value\n  headers:\n    Authorization: Bearer abc\n    X-Scope-OrgID: team-a\n',
    );
    const shown = JSON.stringify(redactConfig(loadConfig({ file, env: {}, cwd }).config));
    expect(shown).not.toContain('s3cr3t-value');
    expect(shown).not.toContain('Bearer abc');
    expect(shown).toContain('team-a');
  });

  it('shows where a secret comes from when it is a reference', () => {
    const file = configFile('prometheus:\n  bearerToken: { env: PROM_TOKEN }\n');
    const shown = redactConfig(loadConfig({ file, env: {}, cwd }).config) as { prometheus: { bearerToken: unknown } };
    expect(shown.prometheus.bearerToken).toEqual({ env: 'PROM_TOKEN' });
  });
});

describe('loadConfig URLs', () => {
  it('refuses a Prometheus, Kubernetes or model URL that is not http(s), naming the field', () => {
    for (const [yaml, path] of [
      ['prometheus:\n  url: ftp://x\n', 'prometheus.url'],
      ['kubernetes:\n  server: file:///etc/passwd\n', 'kubernetes.server'],
      ['models:\n  - { provider: openai, model: m, baseUrl: "gopher://x" }\n', 'models[0].baseUrl'],
    ] as const) {
      const error = catchError(() => loadConfig({ file: configFile(yaml), env: {}, cwd }));
      expect(
        error.issues.map((issue) => issue.path),
        yaml,
      ).toEqual([path]);
      expect(error.issues[0]!.message).toContain('http');
    }
  });
});

describe('mcpServers', () => {
  it('accepts a command or a url, with no tool allowed unless listed', () => {
    const file = configFile(
      [
        'mcpServers:',
        '  github:',
        '    command: npx',
        '    args: [-y, "@modelcontextprotocol/server-github"]',
        '    env: { GITHUB_PERSONAL_ACCESS_TOKEN: { env: GITHUB_TOKEN } }',
        '    allowTools: [get_issue, "search_*"]',
        '  grafana:',
        '    url: https://mcp.example.com/mcp',
        '    headers: { Authorization: { file: /run/secrets/grafana } }',
        '',
      ].join('\n'),
    );
    const { mcpServers } = loadConfig({ file, env: {}, cwd }).config;
    expect(mcpServers.github).toMatchObject({ command: 'npx', allowTools: ['get_issue', 'search_*'] });
    expect(mcpServers.grafana).toMatchObject({
      url: 'https://mcp.example.com/mcp',
      allowTools: [],
      restartAfterMs: 60_000,
    });
  });

  it('refuses a server with both a command and a url, or neither, and names the path', () => {
    const both = catchError(() =>
      loadConfig({ file: configFile('mcpServers:\n  x:\n    command: a\n    url: http://b/mcp\n'), env: {}, cwd }),
    );
    expect(both.issues.map((issue) => `${issue.path}: ${issue.message}`)).toEqual([
      expect.stringMatching(/^mcpServers\.x: give either command \(stdio\) or url/),
    ]);
    const headersOnCommand = catchError(() =>
      loadConfig({ file: configFile('mcpServers:\n  x:\n    command: a\n    headers: { A: b }\n'), env: {}, cwd }),
    );
    expect(headersOnCommand.issues[0]?.message).toMatch(/headers are for a url/);
    const badName = catchError(() =>
      loadConfig({ file: configFile('mcpServers:\n  "Bad Name":\n    command: a\n'), env: {}, cwd }),
    );
    expect(badName.issues[0]).toMatchObject({
      path: 'mcpServers.Bad Name',
      message: expect.stringMatching(/lowercase letters/),
    });
  });

  it('never shows a header or environment value of an MCP server, literal or not', () => {
    const file = configFile(
      [
        'mcpServers:',
        '  a:',
        '    url: https://user:hunter2@mcp.example.com/mcp',
        '    headers: { Authorization: Bearer lit3ral, X-Ref: { env: REF } }',
        '  b:',
        '    command: srv',
        '    env: { API_KEY: k3y-value }',
        '',
      ].join('\n'),
    );
    const shown = redactConfig(loadConfig({ file, env: {}, cwd }).config) as {
      mcpServers: Record<string, { url?: string; headers: Record<string, unknown>; env: Record<string, unknown> }>;
    };
    expect(JSON.stringify(shown)).not.toMatch(/lit3ral|k3y-value|hunter2/);
    expect(shown.mcpServers.a!.headers).toEqual({ Authorization: '[redacted]', 'X-Ref': { env: 'REF' } });
    expect(shown.mcpServers.a!.url).toBe('https://user:[redacted]@mcp.example.com/mcp');
    expect(shown.mcpServers.b!.env).toEqual({ API_KEY: '[redacted]' });
  });
});

describe('resolveSecret', () => {
  it('reads env and file references and names the variable when it is unset', () => {
    const file = configFile('token-from-file\n');
    expect(resolveSecret({ file }, 'x')).toBe('token-from-file');
    expect(resolveSecret({ env: 'T' }, 'x', { T: 'abc' })).toBe('abc');
    expect(() => resolveSecret({ env: 'UNSET_VAR' }, 'prometheus.bearerToken', {})).toThrow(/UNSET_VAR/);
  });

  it('refuses a secret file that is empty or holds only whitespace, naming the file and the field', () => {
    for (const text of ['', '  \n\t\n']) {
      const file = configFile(text);
      const error = catchError(() => resolveSecret({ file }, 'server.tokens[0]'));
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message).toContain('server.tokens[0]');
      expect(error.message).toContain(file);
    }
  });

  it('refuses an environment variable and a literal that hold only whitespace', () => {
    expect(() => resolveSecret({ env: 'T' }, 'server.tokens[0]', { T: '  ' })).toThrow(/T is not set or empty/);
    const file = configFile('server:\n  tokens: ["   "]\n');
    expect(() => loadConfig({ file, env: {}, cwd })).toThrow(/invalid/);
  });
});
