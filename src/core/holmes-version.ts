import { readFileSync } from 'node:fs';

let version: string | undefined;

/** The package version, read once (from src/ under tsx and from dist/ alike: both sit one level below the root). */
export function holmesVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
    .version;
  return version;
}
