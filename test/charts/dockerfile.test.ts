/**
 * charts/image/Dockerfile, read with a Dockerfile parser (no Docker here): multi-stage, a numeric
 * non-root user, production dependencies only (native addons rebuilt), a copy of every file the
 * CLI loads at run time (found in the source, not listed here), and a HEALTHCHECK that runs.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli/run-cli.js';
import { deploymentOf } from './chart-files.js';

const run = promisify(execFile);
const DOCKERFILE = DockerfileParser.parse(readFileSync(join(ROOT, 'charts/image/Dockerfile'), 'utf8'));
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  dependencies: Record<string, string>;
};
const LOCK = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { dev?: boolean; hasInstallScript?: boolean }>;
};

interface Stage {
  name: string | null;
  image: string;
  instructions: Instruction[];
}

function argDefault(name: string): string | undefined {
  const arg = DOCKERFILE.getInitialARGs().find((entry) => entry.getProperty()?.getName() === name);
  return arg?.getProperty()?.getValue() ?? undefined;
}

const STAGES: Stage[] = (() => {
  const froms = DOCKERFILE.getFROMs();
  const lines = froms.map((from) => from.getRange()!.start.line);
  return froms.map((from, index) => ({
    name: from.getBuildStage(),
    image: from.getImageName()!.replace(/^\$\{(\w+)\}$/, (_match, name: string) => argDefault(name) ?? name),
    instructions: DOCKERFILE.getInstructions().filter((instruction) => {
      const line = instruction.getRange()!.start.line;
      return line > lines[index]! && (index + 1 === lines.length || line < lines[index + 1]!);
    }),
  }));
})();
const FINAL = STAGES.at(-1)!;

const keyword = (stage: Stage, name: string) => stage.instructions.filter((entry) => entry.getKeyword() === name);
const words = (instruction: Instruction) => instruction.getArguments().map((argument) => argument.getValue());
const fromFlag = (instruction: Instruction) =>
  (instruction as unknown as { getFlags(): Array<{ getName(): string; getValue(): string | null }> })
    .getFlags()
    .find((flag) => flag.getName() === 'from')
    ?.getValue() ?? undefined;
/** Shell commands of a stage's RUN instructions, split on `&&`. */
const commands = (stage: Stage) =>
  keyword(stage, 'RUN').flatMap((instruction) =>
    (instruction.getArgumentsContent() ?? '')
      .replace(/\\\n/g, ' ')
      .split('&&')
      .map((command) => command.trim().replace(/\s+/g, ' ')),
  );
const jsonForm = (instruction: Instruction) =>
  JSON.parse(/(\[.*\])\s*$/s.exec((instruction.getArgumentsContent() ?? '').replace(/\\\n/g, ' '))![1]!) as string[];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Where the final image's files come from: destination under WORKDIR → source (or stage:path). */
function finalCopies(): Array<{ from: string | undefined; source: string; destination: string }> {
  let workdir = '/';
  const copies: Array<{ from: string | undefined; source: string; destination: string }> = [];
  for (const instruction of FINAL.instructions) {
    if (instruction.getKeyword() === 'WORKDIR') workdir = resolve(workdir, words(instruction)[0]!);
    if (instruction.getKeyword() !== 'COPY') continue;
    const [destination, ...sources] = words(instruction).reverse();
    for (const source of sources)
      copies.push({ from: fromFlag(instruction), source, destination: resolve(workdir, destination!) });
  }
  return copies;
}

describe('charts/image/Dockerfile', () => {
  it('builds in stages on Node 20 and runs on node:20-bookworm-slim', () => {
    expect(STAGES.length).toBeGreaterThanOrEqual(2);
    for (const stage of STAGES) expect(stage.image).toBe('node:20-bookworm-slim');
  });

  it('runs as a numeric non-root user, the one the chart runs as', () => {
    const users = keyword(FINAL, 'USER').map((instruction) => words(instruction)[0]!);
    const [uid, gid] = users.at(-1)!.split(':').map(Number);
    expect(uid).toBeGreaterThan(0);
    expect(gid).toBeGreaterThan(0);
    expect(deploymentOf().spec.template.spec.securityContext).toMatchObject({ runAsUser: uid, runAsGroup: gid });
  });

  it('ships production dependencies only, with every native addon among them rebuilt', () => {
    const modules = finalCopies().filter((copy) => copy.destination === '/app/node_modules');
    expect(modules).toHaveLength(1);
    const stage = STAGES.find((entry) => entry.name === modules[0]!.from)!;
    const installs = commands(stage).filter((command) => /^npm (ci|install|i)\b/.test(command));
    expect(installs.length).toBeGreaterThan(0);
    for (const install of installs) expect(install).toContain('--omit=dev');
    const scripted = Object.entries(LOCK.packages)
      .filter(([path, entry]) => path.startsWith('node_modules/') && entry.hasInstallScript && !entry.dev)
      .map(([path]) => path.slice('node_modules/'.length));
    expect(scripted).toContain('better-sqlite3');
    // Install scripts are skipped (the root `prepare` needs tsc), so each addon is rebuilt by name.
    for (const name of scripted) expect(commands(stage), name).toContain(`npm rebuild ${name}`);
    // node-gyp's compiler toolchain, in that stage only.
    expect(commands(stage).join(' ')).toMatch(/apt-get install .*python3.* make .*g\+\+/);
    expect(commands(FINAL).join(' ')).not.toMatch(/g\+\+|npm (ci|install)/);
  });

  it('needs no dev dependency at run time: every package src/ imports is a production dependency', () => {
    const imported = new Set<string>();
    for (const file of sourceFiles(join(ROOT, 'src'))) {
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(
        /^(?:import|export)(?!\s+type\b)[^'"]*?from\s+'([^'.][^']*)'|import\('([^'.][^']*)'\)/gm,
      )) {
        const specifier = match[1] ?? match[2]!;
        if (specifier.startsWith('node:')) continue;
        imported.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
      }
    }
    expect(imported.size).toBeGreaterThan(5);
    expect([...imported].filter((name) => !(name in PACKAGE.dependencies))).toEqual([]);
  });

  it('copies every file the CLI loads from its own package at run time', () => {
    // `new URL('../../toolsets/', import.meta.url)` in src/x/y.ts is the same path from dist/x/y.js.
    const assets = new Set<string>();
    for (const file of sourceFiles(join(ROOT, 'src'))) {
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(/new URL\(\s*'(\.{1,2}\/[^']*)',\s*import\.meta\.url\s*\)/g))
        assets.add(relative(ROOT, resolve(join(file, '..'), match[1]!)));
    }
    expect([...assets].sort()).toEqual(expect.arrayContaining(['package.json', 'runbooks', 'toolsets']));
    const copies = finalCopies().filter((copy) => copy.from === undefined);
    const copied = (asset: string) =>
      copies.some((copy) => {
        const source = copy.source.replace(/\/$/, '');
        const target = relative('/app', copy.destination).replace(/\/$/, '') || '.';
        const landsAt = target === '.' ? source : target;
        return (asset === landsAt || asset.startsWith(`${landsAt}/`)) && (target === '.' || target === source);
      });
    expect([...assets].filter((asset) => !copied(asset))).toEqual([]);
    // dist/ comes from the build stage, and the entrypoint is the package's bin.
    expect(finalCopies().some((copy) => copy.from === 'build' && copy.destination === '/app/dist')).toBe(true);
    expect(jsonForm(keyword(FINAL, 'ENTRYPOINT')[0]!)).toEqual(['node', `/app/${PACKAGE.bin.holmes}`]);
  });

  it("exposes the port the chart's container listens on", () => {
    const exposed = keyword(FINAL, 'EXPOSE').flatMap(words).map(Number);
    const ports = deploymentOf().spec.template.spec.containers[0]!.ports.map((port) => port.containerPort);
    expect(exposed).toEqual(ports);
  });

  it('has a HEALTHCHECK that needs only node, passing on 200 from /healthz and failing otherwise', async () => {
    const [healthcheck] = keyword(FINAL, 'HEALTHCHECK');
    const argv = jsonForm(healthcheck!);
    expect(argv[0]).toBe('node');
    let status = 200;
    const paths: string[] = [];
    const server = createServer((request, response) => {
      paths.push(request.url ?? '');
      response.writeHead(status).end();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    const probe = async () =>
      run(process.execPath, argv.slice(1), { env: { ...process.env, HOLMES_SERVER_PORT: String(port) } }).then(
        () => 0,
        (error: { code: number }) => error.code,
      );
    try {
      expect(await probe()).toBe(0);
      status = 503;
      expect(await probe()).toBe(1);
    } finally {
      await new Promise<void>((done) => server.close(() => done()));
    }
    expect(await probe()).toBe(1);
    expect(paths).toEqual(['/healthz', '/healthz']);
  });
});
