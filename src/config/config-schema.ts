import { z } from 'zod';
import { jiraSchema } from './jira-schema.js';
import { secretSchema } from './secret.js';
import { slackSchema } from './slack-schema.js';

const durationMs = z.number().int().positive();

/** Every URL Holmes calls is HTTP: `ftp://` or `file://` would only fail later, at the first request. */
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL, e.g. http://host:9090' });

/** A model API key: a reference only, so the config (and `holmes config show`) never holds one. */
const modelKeySchema = secretSchema.refine((secret) => typeof secret !== 'string', {
  message: 'API keys are not written in the config: use { env: NAME } or { file: PATH }',
});

/** One entry of the ordered model list; failover goes down the list. */
const modelSchema = z.strictObject({
  /** `openai` covers every OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, LiteLLM proxy, llama.cpp server). */
  provider: z.enum(['openai', 'anthropic']),
  model: z.string().min(1),
  /** Name in the ledger and in messages; default `provider/model`. */
  name: z.string().min(1).optional(),
  /** e.g. http://vllm.llm:8000/v1, http://127.0.0.1:11434/v1 (Ollama), a LiteLLM proxy. */
  baseUrl: httpUrl.optional(),
  /** Several keys are rotated on 429 and 401; none for a local server. */
  apiKeys: z.array(modelKeySchema).default([]),
  /** Tokens; default from the model catalog (@pydantic/genai-prices), else 8192. */
  contextWindow: z.number().int().positive().optional(),
  /** max_tokens of each call (shrunk to fit the window), reserved in full by the budget guard; default 4096. */
  maxOutputTokens: z.number().int().positive().optional(),
  /** USD per 1M tokens; default from the model catalog (0 for a model it does not know: a local one). */
  price: z
    .strictObject({
      input: z.number().nonnegative(),
      output: z.number().nonnegative(),
      /** A cached input token read (OpenAI cached_tokens, Anthropic cache_read_input_tokens); default: input. */
      cached: z.number().nonnegative().optional(),
      /** An input token written to the cache (Anthropic cache_creation_input_tokens); default: input. */
      cacheWrite: z.number().nonnegative().optional(),
    })
    .optional(),
  timeoutMs: durationMs.default(60_000),
  /** Reserve this many times the input tokens counted locally (o200k_base); other tokenizers count more. */
  inputEstimateFactor: z.number().min(1).max(3).optional(),
});

export type ModelSpec = z.infer<typeof modelSchema>;

/**
 * Another MCP server whose tools the agent may call: a command Holmes starts (stdio) or a URL
 * (Streamable HTTP). None of its tools is offered until listed in `allowTools`: Holmes cannot
 * promise that someone else's tool only reads.
 */
export const mcpServerSchema = z
  .strictObject({
    /** stdio: the command and its arguments, e.g. npx -y some-mcp-server. */
    command: z.string().min(1).optional(),
    args: z.array(z.string()).default([]),
    /** Added to a minimal inherited environment (PATH, HOME, …); values may be secret references. */
    env: z.record(z.string().min(1), secretSchema).default({}),
    cwd: z.string().min(1).optional(),
    /** Streamable HTTP: the endpoint, e.g. https://mcp.example.com/mcp. */
    url: httpUrl.optional(),
    /** Sent with every request; values may be secret references ({ env }, { file }). */
    headers: z.record(z.string().min(1), secretSchema).default({}),
    /** Tool names (of the server, without the prefix) the agent may call; `*` matches any run of characters. */
    allowTools: z.array(z.string().min(1)).default([]),
    /** What the server is for, read when the agent picks toolsets; default: the server's own instructions. */
    description: z.string().min(1).optional(),
    /** Per call; default toolsets.timeoutMs. */
    timeoutMs: durationMs.optional(),
    /** Start (or connect) and list the tools within this, or the server is marked unavailable. */
    startTimeoutMs: durationMs.default(15_000),
    /** After the server dies, try to start it again this long later; 0 never does. */
    restartAfterMs: z.number().int().nonnegative().default(60_000),
  })
  .superRefine((server, context) => {
    if (Boolean(server.command) === Boolean(server.url))
      context.addIssue({ code: 'custom', message: 'give either command (stdio) or url (Streamable HTTP)' });
    if (server.url && (server.args.length > 0 || Object.keys(server.env).length > 0 || server.cwd))
      context.addIssue({ code: 'custom', message: 'args, env and cwd are for a command (stdio), not a url' });
    if (server.command && Object.keys(server.headers).length > 0)
      context.addIssue({ code: 'custom', message: 'headers are for a url (Streamable HTTP), not a command' });
  });

export type McpServerConfig = z.infer<typeof mcpServerSchema>;

/** A Kubernetes namespace name (RFC 1123 label), as `kubectl create namespace` accepts it. */
const namespaceName = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
    'must be a namespace name: lowercase letters, digits and -, e.g. vision-prod',
  );

const teamBudgetSchema = z.strictObject({
  dailyUsd: z.number().nonnegative().optional(),
  monthlyUsd: z.number().nonnegative().optional(),
});

/** PostgreSQL for several replicas: one queue, one investigation store, one budget ledger. */
export const postgresSchema = z.strictObject({
  /**
   * postgres://user@host:5432/holmes (no password written here: use `password`); `?sslmode=` is
   * honoured. Or by reference, { env: NAME } or { file: PATH }, for a URL kept in a Secret (the
   * `uri` an operator such as CloudNativePG writes), which may then hold the password.
   */
  url: z.union([
    z.url({
      protocol: /^postgres(ql)?$/,
      error: 'must be a postgres:// URL, e.g. postgres://holmes@db:5432/holmes, or { env: NAME } or { file: PATH }',
    }),
    z.strictObject({ env: z.string().min(1) }),
    z.strictObject({ file: z.string().min(1) }),
  ]),
  /** The password by reference: { env: PGPASSWORD } or { file: /var/run/secrets/holmes/pg-password }. */
  password: secretSchema.optional(),
  /** TLS: `disable` (loopback only), `require` (encrypted), `verify-full` (encrypted, server certificate checked). */
  sslmode: z.enum(['disable', 'require', 'verify-ca', 'verify-full']).optional(),
  /** PEM file of the CA that signed the server's certificate (verify-ca, verify-full). */
  sslRootCert: z.string().min(1).optional(),
  pool: z
    .strictObject({
      /** Connections per replica; the server's `max_connections` must cover every replica's. */
      max: z.number().int().min(2).max(200).default(10),
      idleTimeoutMs: durationMs.default(30_000),
      connectionTimeoutMs: durationMs.default(5_000),
      /** A statement running longer is cancelled (a lock held by a stuck peer must not stall intake). */
      statementTimeoutMs: durationMs.default(30_000),
    })
    .prefault({}),
  /** How long a claimed investigation is held without renewal; a replica that dies loses it after this. */
  leaseMs: durationMs.min(1_000).default(30_000),
});

export type PostgresConfig = z.infer<typeof postgresSchema>;

export const configSchema = z.strictObject({
  prometheus: z
    .strictObject({
      url: httpUrl.optional(),
      bearerToken: secretSchema.optional(),
      headers: z.record(z.string(), z.string()).default({}),
      timeoutMs: durationMs.default(15_000),
    })
    .prefault({}),
  kubernetes: z
    .strictObject({
      kubeconfig: z.string().optional(),
      context: z.string().optional(),
      inCluster: z.boolean().default(false),
      /** An API server URL with no auth (the lab); overrides kubeconfig. */
      server: httpUrl.optional(),
      timeoutMs: durationMs.default(15_000),
      /**
       * Team → the namespaces it owns, read before namespace labels. A key matches the alert's team
       * as written, or the LiteLLM team id or alias it resolves to, in any case or separator.
       */
      teamNamespaces: z.record(z.string().min(1), z.array(namespaceName).min(1)).default({}),
    })
    .prefault({}),
  toolsets: z
    .strictObject({
      directories: z.array(z.string()).default([]),
      disabled: z.array(z.string()).default([]),
      /** Cap on a tool's model-facing output, counted in tokens. */
      maxOutputTokens: z.number().int().positive().default(2_000),
      timeoutMs: durationMs.default(20_000),
    })
    .prefault({}),
  runbooks: z
    .strictObject({
      directories: z.array(z.string()).default([]),
    })
    .prefault({}),
  storage: z
    .strictObject({
      /** SQLite file for alerts, investigations and the spend ledger; created on first use. */
      path: z.string().default('.holmes/holmes.db'),
      /** `normal` survives a process crash (WAL); `full` also a power cut, at a cost in intake rate. */
      synchronous: z.enum(['normal', 'full']).default('normal'),
      /** Set to share one store between several replicas; SQLite (`path`) is then not used. */
      postgres: postgresSchema.optional(),
    })
    .prefault({}),
  server: z
    .strictObject({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65_535).default(8080),
      /** Bearer tokens accepted (Alertmanager's http_config.authorization.credentials). */
      tokens: z.array(secretSchema).default([]),
      basicAuth: z.strictObject({ username: z.string().min(1), password: secretSchema }).optional(),
      /** Serving without any credential must be asked for explicitly. */
      allowUnauthenticated: z.boolean().default(false),
      bodyLimitBytes: z.number().int().positive().default(1_048_576),
      /** Investigations waiting beyond this make the webhook answer 503 with Retry-After. */
      maxQueue: z.number().int().positive().default(1_000),
      concurrency: z.number().int().positive().max(64).default(2),
      maxAlertsPerGroup: z.number().int().positive().default(20),
      shutdownGraceMs: z.number().int().nonnegative().default(20_000),
    })
    .prefault({}),
  models: z.array(modelSchema).default([]),
  agent: z
    .strictObject({
      /** Rounds down the model list when every model failed with a retryable error (429, 5xx, timeout). */
      failoverRounds: z.number().int().min(1).max(5).default(2),
      backoffMs: z.number().int().nonnegative().default(1_000),
      maxBackoffMs: z.number().int().nonnegative().default(20_000),
      /** Older turns are summarised when the conversation reaches this share of the model's window. */
      compactAt: z.number().min(0.3).max(0.95).default(0.8),
      /** Cap on one tool result in the conversation; default min(toolsets.maxOutputTokens, 15% of the window). */
      maxToolOutputTokens: z.number().int().positive().optional(),
      /** max_tokens is shrunk down to this to fit a small window; below it, tools are dropped, then turns summarised. */
      minOutputTokens: z.number().int().positive().default(1_024),
      /**
       * Tool definitions offered to the model, most relevant first, up to this many tokens (final_answer aside).
       * 800: the runbook tools, PromQL and two workload-scoped tools (ours/others, onset) fit; one such
       * call replaces several raw queries, so the definitions pay for themselves.
       */
      maxToolDefinitionTokens: z.number().int().positive().default(800),
    })
    .prefault({}),
  budget: z
    .strictObject({
      /** Caps of one investigation or question; the guard refuses a model call that could cross one. */
      perInvestigation: z
        .strictObject({
          maxSteps: z.number().int().positive().default(20),
          maxToolCalls: z.number().int().positive().default(40),
          maxInputTokens: z.number().int().positive().default(400_000),
          maxOutputTokens: z.number().int().positive().default(20_000),
          maxUsd: z.number().positive().default(1),
        })
        .prefault({}),
      /** Daily and monthly USD per team (UTC days and months). */
      teams: z.record(z.string(), teamBudgetSchema).default({}),
      /** Budgets of teams not listed under `teams`. */
      otherTeams: teamBudgetSchema.prefault({ dailyUsd: 10, monthlyUsd: 100 }),
      /** Alert labels naming the team, in order. */
      teamLabels: z.array(z.string().min(1)).default(['team', 'owner', 'squad']),
      /** Who asks → team: `cli:<login>`, `slack:<user id>`, `api`. */
      users: z.record(z.string(), z.string().min(1)).default({}),
      /** Team charged when neither labels nor users name one. */
      unassignedTeam: z.string().min(1).default('unassigned'),
    })
    .prefault({}),
  /** Slack ChatOps (absent: no Slack); see the README's Slack section. */
  slack: slackSchema.optional(),
  /** Jira tickets for investigations (absent: no Jira); see the README's Jira section. */
  jira: jiraSchema.optional(),
  /** Other MCP servers whose allowed tools join the agent's, as `<name>__<tool>`. */
  mcpServers: z
    .record(z.string(), mcpServerSchema)
    .superRefine((servers, context) => {
      // The name prefixes its tools (`<name>__<tool>`), which model APIs limit to 64 plain characters.
      for (const name of Object.keys(servers))
        if (!/^[a-z][a-z0-9_-]{0,23}$/.test(name))
          context.addIssue({
            code: 'custom',
            path: [name],
            message: `server name '${name}': use lowercase letters, digits, - and _ (up to 24, starting with a letter)`,
          });
    })
    .default({}),
  /** Holmes as an MCP server: `holmes mcp` (stdio) and /mcp on `holmes serve` (Streamable HTTP). */
  mcp: z
    .strictObject({
      /** Mount /mcp on holmes serve, behind the server's authentication. */
      http: z.boolean().default(true),
      /** Sessions held at once on /mcp; the longest idle one is closed to make room. */
      maxSessions: z.number().int().positive().max(10_000).default(64),
      /** A session unused this long is closed. */
      sessionIdleMs: durationMs.default(1_800_000),
    })
    .prefault({}),
  log: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
    })
    .prefault({}),
});

export type HolmesConfig = z.infer<typeof configSchema>;
/**
 * Paths (dot-separated) of fields holding secrets, for redaction. `models[].apiKeys` is not here:
 * a path cannot name every entry of a list, so those keys accept only references ({ env }, { file }).
 */
export const SECRET_PATHS = [
  'prometheus.bearerToken',
  'server.tokens',
  'server.basicAuth.password',
  'slack.botToken',
  'slack.signingSecret',
  'slack.appToken',
  'jira.apiToken',
  'jira.personalAccessToken',
] as const;
