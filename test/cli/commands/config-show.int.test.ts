import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, runCli, type Sandbox } from '../run-cli.js';

const LITERAL_TOKEN = 'literal-token-7c1e9a';
const AUTHORIZATION = 'Bearer header-token-5f2b8d';
const CONFIG = `prometheus:
  url: http://127.0.0.1:9090
  bearerToken: ${LITERAL_TOKEN}
  headers:
    Authorization: ${AUTHORIZATION}
    X-Auth-Token: second-header-token-91aa
    X-Scope-OrgID: team-a
kubernetes:
  context: prod-eu
`;

interface Shown {
  file: string | null;
  config: {
    prometheus: { url?: string; bearerToken?: unknown; headers: Record<string, string> };
    kubernetes: { context?: string; inCluster: boolean };
    toolsets: { maxOutputTokens: number };
  };
}

let sandbox: Sandbox;
let configFile: string;

describe('holmes config show', () => {
  beforeAll(async () => {
    sandbox = await createSandbox();
    configFile = await sandbox.write('holmes.yaml', CONFIG);
  });
  afterAll(async () => {
    await sandbox?.remove();
  });

  it('prints the config with a literal secret and credential headers redacted when shown as YAML', async () => {
    const result = await runCli(sandbox, ['--config', configFile, 'config', 'show']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`# effective configuration (file: ${configFile})`);
    for (const secret of [LITERAL_TOKEN, 'header-token-5f2b8d', 'second-header-token-91aa'])
      expect(result.stdout).not.toContain(secret);
    expect(result.stdout).toContain('bearerToken: "[redacted]"');
    expect(result.stdout).toContain('Authorization: "[redacted]"');
    expect(result.stdout).toContain('X-Auth-Token: "[redacted]"');
    // What is not a credential stays readable.
    expect(result.stdout).toContain('X-Scope-OrgID: team-a');
    expect(result.stdout).toContain('context: prod-eu');
  });

  it('prints the same redacted config as one JSON document when given --json', async () => {
    const result = await runCli(sandbox, ['--config', configFile, '--json', 'config', 'show']);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain(LITERAL_TOKEN);
    const shown = JSON.parse(result.stdout) as Shown;
    expect(shown.file).toBe(configFile);
    expect(shown.config.prometheus).toMatchObject({
      url: 'http://127.0.0.1:9090',
      bearerToken: '[redacted]',
      headers: { Authorization: '[redacted]', 'X-Auth-Token': '[redacted]', 'X-Scope-OrgID': 'team-a' },
    });
  });

  it('finds ./holmes.yaml in the working directory when no --config is given', async () => {
    const result = await runCli(sandbox, ['--json', 'config', 'show']);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as Shown).file).toBe(configFile);
  });

  it('shows a secret by its variable name, never its value, when it is given as {env: NAME}', async () => {
    const file = await sandbox.write('by-reference.yaml', 'prometheus:\n  bearerToken: {env: PROMETHEUS_TOKEN}\n');
    const result = await runCli(sandbox, ['--config', file, '--json', 'config', 'show'], {
      env: { PROMETHEUS_TOKEN: 'env-token-3d4e' },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('env-token-3d4e');
    expect((JSON.parse(result.stdout) as Shown).config.prometheus.bearerToken).toEqual({ env: 'PROMETHEUS_TOKEN' });
  });

  it("shows HOLMES_* values over the file's, typed and redacted, when both set a field", async () => {
    const result = await runCli(sandbox, ['--config', configFile, '--json', 'config', 'show'], {
      env: {
        HOLMES_PROMETHEUS_URL: 'https://alice:url-password-8b@prometheus.example:9090',
        HOLMES_PROMETHEUS_BEARER_TOKEN: 'env-override-token-6c',
        HOLMES_TOOLSETS_MAX_OUTPUT_TOKENS: '4000',
        HOLMES_KUBERNETES_IN_CLUSTER: 'true',
      },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    for (const secret of ['url-password-8b', 'env-override-token-6c']) expect(result.stdout).not.toContain(secret);
    const { config } = JSON.parse(result.stdout) as Shown;
    expect(config.prometheus.url).toBe('https://alice:[redacted]@prometheus.example:9090');
    expect(config.prometheus.bearerToken).toBe('[redacted]');
    expect(config.toolsets.maxOutputTokens).toBe(4000);
    expect(config.kubernetes).toMatchObject({ inCluster: true, context: 'prod-eu' });
  });
});
