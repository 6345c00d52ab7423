import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { HolmesError } from '../../core/errors.js';

const INSTALL = 'apt-get install -y --no-install-recommends prometheus';

/**
 * The executable for `name`: the path in `environmentVariable` when set (it must exist), else the
 * first match on PATH. Missing → DEPENDENCY_MISSING naming the Debian package.
 */
export async function findBinary(name: 'prometheus' | 'promtool', environmentVariable: string): Promise<string> {
  const configured = process.env[environmentVariable];
  if (configured !== undefined && configured !== '') {
    if (await isExecutable(configured)) return configured;
    throw new HolmesError('DEPENDENCY_MISSING', `${environmentVariable}=${configured} is not an executable ${name}.`, {
      fix: `Point ${environmentVariable} at the ${name} binary, or unset it and run \`${INSTALL}\`.`,
    });
  }
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    if (folder === '') continue;
    const candidate = join(folder, name);
    if (await isExecutable(candidate)) return candidate;
  }
  throw new HolmesError(
    'DEPENDENCY_MISSING',
    `${name} was not found on PATH; the lab needs Prometheus 2.42 or later.`,
    {
      fix: `Run \`${INSTALL}\` (Debian's package has prometheus and promtool), or set ${environmentVariable}.`,
    },
  );
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
