import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Issue } from '../core/errors.js';
import { HolmesError } from '../core/errors.js';
import { formatPath, lineAt, parseYamlSource, plainValue, type YamlSource } from '../core/yaml-source.js';
import { configSchema, type HolmesConfig } from './config-schema.js';
import { envOverrides } from './env-overrides.js';

export interface LoadConfigOptions {
  /** `--config FILE`; when given it must exist. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Values set by command-line flags; they win over the file and the environment. */
  overrides?: Record<string, unknown>;
  cwd?: string;
}

export interface LoadedConfig {
  config: HolmesConfig;
  /** The file read, if any. */
  file: string | undefined;
  warnings: string[];
}

/** Where Holmes looks when `--config` and HOLMES_CONFIG are not given, in order. */
function defaultConfigPaths(cwd: string, env: NodeJS.ProcessEnv): string[] {
  const xdg = env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
  return [join(cwd, 'holmes.yaml'), join(xdg, 'holmes', 'config.yaml')];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) out[key] = merge(base[key], value);
  return out;
}

/** A config is a few kilobytes; past this it is the wrong file. */
const MAX_CONFIG_BYTES = 1_048_576;

function unreadable(file: string, error: unknown): HolmesError {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new HolmesError('CONFIG_INVALID', `Cannot read the config file ${file} (${reason}).`, {
    cause: error,
    fix: 'Check the path and its permissions.',
  });
}

/** The config's text; a directory, a FIFO or a huge file is a clear error, not a crash or a hang. */
function readText(file: string): string {
  let stat;
  try {
    stat = statSync(file);
  } catch (error) {
    throw unreadable(file, error);
  }
  if (!stat.isFile()) {
    throw new HolmesError(
      'CONFIG_INVALID',
      `The config path ${file} is ${stat.isDirectory() ? 'a directory' : 'not a regular file'}.`,
      { fix: 'Give the path of the YAML file itself, e.g. --config /etc/holmes/holmes.yaml.' },
    );
  }
  if (stat.size > MAX_CONFIG_BYTES) {
    throw new HolmesError(
      'CONFIG_INVALID',
      `The config file ${file} is ${stat.size} bytes; a config is at most ${MAX_CONFIG_BYTES}.`,
      { fix: 'Point --config at the Holmes YAML config, not at another file.' },
    );
  }
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw unreadable(file, error);
  }
}

function readConfigFile(file: string): { source: YamlSource; value: unknown } {
  const { source, issues } = parseYamlSource(readText(file), file);
  if (issues.length > 0) {
    throw new HolmesError('CONFIG_INVALID', `The config file ${file} is not valid YAML.`, {
      issues,
      fix: 'Fix the YAML syntax at the line shown.',
    });
  }
  const plain = plainValue(source);
  const [problem] = plain.issues;
  if (problem) {
    throw new HolmesError('CONFIG_INVALID', `The config file ${file} is refused: ${problem.message}.`, {
      ...(problem.fix ? { fix: problem.fix } : {}),
    });
  }
  const value = plain.value;
  if (value !== null && value !== undefined && !isPlainObject(value)) {
    throw new HolmesError(
      'CONFIG_INVALID',
      `The config file ${file} must hold a mapping (key: value), not a list or scalar.`,
      {
        fix: 'See the README section "Configuration" for the layout.',
      },
    );
  }
  return { source, value };
}

/** File (or default locations) → HOLMES_* environment → flags, validated once. */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.file ?? env.HOLMES_CONFIG;
  let file: string | undefined;
  if (explicit) {
    file = resolve(cwd, explicit);
    if (!existsSync(file)) {
      throw new HolmesError('CONFIG_NOT_FOUND', `Config file ${file} does not exist.`, {
        fix: 'Check the path given with --config or HOLMES_CONFIG, or leave both unset to use the defaults.',
      });
    }
  } else {
    file = defaultConfigPaths(cwd, env).find((candidate) => existsSync(candidate));
  }
  const read = file ? readConfigFile(file) : undefined;
  const { overrides, unknown } = envOverrides(configSchema, env);
  const warnings = unknown.map((name) => `Ignoring environment variable ${name}: it names no config field.`);
  const merged = merge(merge(read?.value ?? {}, overrides), options.overrides ?? {});
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const issues: Issue[] = parsed.error.issues.map((issue) => {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
      const where = [...issue.path, ...keys.slice(0, 1)];
      const line = read ? lineAt(read.source, where, { key: keys.length > 0 }) : undefined;
      return {
        path: formatPath(where) || '(root)',
        message: keys.length > 0 ? `unknown key${keys.length > 1 ? 's' : ''} ${keys.join(', ')}` : issue.message,
        ...(file ? { file } : {}),
        ...(line ? { line } : {}),
      };
    });
    throw new HolmesError(
      'CONFIG_INVALID',
      `The configuration is invalid (${issues.length} problem${issues.length > 1 ? 's' : ''}).`,
      {
        issues,
        fix: 'Correct the fields listed (file, environment variable HOLMES_… or flag); `holmes config show` prints the effective config.',
      },
    );
  }
  return { config: parsed.data, file, warnings };
}
