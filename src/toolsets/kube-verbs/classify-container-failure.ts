/**
 * What a failing container's status, log and events say about why it fails: the part of a
 * crash-loop, OOM or image-pull diagnosis that is the same on every cluster, kept out of runbooks.
 */

/** Why a container is not running, as an SRE sorts it. */
export type FailureKind =
  /** The kernel's memory cgroup killed it (reason OOMKilled). */
  | 'oomKilled'
  /** It exited on start with a configuration error in its log or termination message. */
  | 'configError'
  /** It cannot be created: a referenced ConfigMap, Secret or key is missing (CreateContainerConfigError). */
  | 'configMissing'
  /** It crashed on a fault of running code (segfault, CUDA error, panic, missing module). */
  | 'runtimeFault'
  /** Its image cannot be pulled. */
  | 'imagePull'
  /** It was killed by a signal from outside (exit 137 or 143 without OOM: liveness probe, preemption). */
  | 'killed'
  /** It exited with an error whose log names neither configuration nor a runtime fault. */
  | 'crashed';

export const IMAGE_PULL_REASONS: ReadonlySet<string> = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'ErrImageNeverPull',
  'RegistryUnavailable',
  'ErrImageInspect',
  'SignatureValidationFailed',
]);

const CONFIG_WAITING_REASONS: ReadonlySet<string> = new Set(['CreateContainerConfigError', 'CreateContainerError']);

/** Lines with which programs reject their configuration (Go, Python, JVM, Node, nginx, Spring, systemd-style units). */
const CONFIG_ERROR = new RegExp(
  [
    'invalid (config|configuration|setting|value|duration|argument|option|syntax|format|parameter)',
    'config(uration)?( file)? (error|invalid|not found|missing|validation|parse)',
    '(error|failed|unable|cannot|could not).{0,40}(pars|load|read|decod|unmarshal|validat|initializ|bind).{0,40}(config|conf\\b|settings|properties|yaml|json|toml|\\.env)',
    '(missing|required|undefined|unset|not set|empty).{0,30}(key|field|setting|variable|env|parameter|property|option|argument)',
    '(key|field|setting|variable|parameter|property|option|argument).{0,40}(is required|must be set|not set|is missing|unknown|not defined|not recognized|not allowed)',
    'field required',
    'unknown (field|key|unit|flag|option|setting|property|directive)',
    'unrecognized (option|argument|field|key|arguments)',
    'flag provided but not defined',
    'cannot unmarshal',
    'yaml: (line|unmarshal)',
    'json: (cannot|unknown field)',
    'looking for beginning of value',
    'mapping values are not allowed',
    'did not find expected key',
    'open [^ ]*(conf|config|settings|\\.ya?ml|\\.json|\\.toml|\\.ini|\\.properties)[^ ]*: no such file',
    'KeyError',
    'ValidationError',
    'ConfigurationError',
    'ConfigException',
    'APPLICATION FAILED TO START',
    'Could not resolve placeholder',
    'Failed to bind properties',
    '\\[emerg\\]',
    'couldn.t find key',
    'configmap "[^"]+" not found',
    'secret "[^"]+" not found',
  ].join('|'),
  'i',
);

/** Lines of a fault in running code, not of its configuration. */
const RUNTIME_FAULT =
  /CUDA out of memory|CUDA error|out of memory|OutOfMemoryError|bad_alloc|Segmentation fault|SIGSEGV|core dumped|illegal memory access|NCCL error|\bXid\b|panic: runtime error|nil pointer dereference|StackOverflowError|ImportError|ModuleNotFoundError|ClassNotFoundException|NoClassDefFoundError|NoSuchMethodError|undefined symbol|exec format error|illegal instruction/i;

/** What the registry or the node answered to a pull: a kind a runbook can branch on, and the words of its fix. */
const PULL_ERRORS: Array<[RegExp, PullErrorKind, string]> = [
  [
    /not found|manifest unknown|NotFound|does not exist|name unknown/i,
    'notFound',
    'the tag or repository does not exist in the registry',
  ],
  [
    /unauthorized|authentication required|denied|forbidden|\b401\b|\b403\b|no basic auth|permission/i,
    'unauthorized',
    'the registry refuses the credentials (imagePullSecrets or node IAM)',
  ],
  [/toomanyrequests|rate limit|\b429\b/i, 'rateLimited', 'the registry rate-limits the pulls'],
  [
    /timeout|i\/o timeout|connection refused|no such host|TLS handshake|x509|dial tcp/i,
    'unreachable',
    'the registry is unreachable from the node',
  ],
  [/invalid reference|InvalidImageName|invalid image/i, 'invalidName', 'the image reference is malformed'],
  [/no space left|disk/i, 'noDisk', 'the node has no disk space for the layers'],
];

export type PullErrorKind = 'notFound' | 'unauthorized' | 'rateLimited' | 'unreachable' | 'invalidName' | 'noDisk';

/** Exit codes of a kill by signal: SIGKILL (137) and SIGTERM (143). */
const KILL_EXIT_CODES: ReadonlySet<number> = new Set([137, 143]);

export interface FailureInput {
  waitingReason: string | null;
  waitingMessage: string | null;
  lastTermination: { reason: string | null; exitCode: number | null; message: string | null } | null;
  logLines: string[];
}

export interface FailureVerdict {
  kind: FailureKind | null;
  /** The line (log, termination or waiting message) that decided it, at most 300 characters. */
  line: string | null;
  /** Log lines of the terminated instance that name an error of its own (configuration or runtime). */
  ownErrors: string[];
}

const clip = (line: string) => (line.length > 300 ? `${line.slice(0, 300)}…` : line);

/** Sorts one container's failure: its waiting reason first, then how it last ended and what it logged. */
export function classifyContainerFailure(input: FailureInput): FailureVerdict {
  const last = input.lastTermination;
  const texts = [...input.logLines, last?.message, input.waitingMessage].filter(
    (line): line is string => typeof line === 'string' && line.length > 0,
  );
  const config = texts.filter((line) => CONFIG_ERROR.test(line));
  const runtime = texts.filter((line) => RUNTIME_FAULT.test(line));
  const ownErrors = [...new Set([...config, ...runtime])].filter((line) => input.logLines.includes(line)).map(clip);
  const verdict = (kind: FailureKind | null, line?: string | null): FailureVerdict => ({
    kind,
    line: line ? clip(line) : null,
    ownErrors,
  });
  if (input.waitingReason && IMAGE_PULL_REASONS.has(input.waitingReason))
    return verdict('imagePull', input.waitingMessage);
  if (input.waitingReason && CONFIG_WAITING_REASONS.has(input.waitingReason))
    return verdict('configMissing', input.waitingMessage);
  if (!last) return verdict(null);
  if (last.reason === 'OOMKilled') return verdict('oomKilled', `${last.reason} exit ${last.exitCode ?? '?'}`);
  if (last.exitCode === 0 && input.waitingReason !== 'CrashLoopBackOff') return verdict(null);
  if (last.exitCode !== null && KILL_EXIT_CODES.has(last.exitCode))
    return verdict('killed', `${last.reason ?? 'killed'} exit ${last.exitCode}`);
  // A configuration error decides over a runtime line printed while the process gave up.
  if (config.length > 0) return verdict('configError', config.at(-1));
  if (runtime.length > 0) return verdict('runtimeFault', runtime.at(-1));
  return verdict('crashed', `${last.reason ?? 'Error'} exit ${last.exitCode ?? '?'}`);
}

export type LogLineKind = 'configError' | 'runtimeFault';

/** Whether one log line rejects the program's configuration or reports a fault of running code. */
export function logLineKind(line: string): LogLineKind | null {
  return CONFIG_ERROR.test(line) ? 'configError' : RUNTIME_FAULT.test(line) ? 'runtimeFault' : null;
}

/** Why a pull fails, from the kubelet's Failed/BackOff event messages; null when they do not say. */
export function pullErrorCause(messages: string[]): { kind: PullErrorKind; cause: string } | null {
  const text = messages.join(' ');
  const found = PULL_ERRORS.find(([pattern]) => pattern.test(text));
  return found ? { kind: found[1], cause: found[2] } : null;
}
