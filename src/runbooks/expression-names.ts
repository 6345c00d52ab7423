import jsonata from 'jsonata';

type Node = { type?: string; value?: unknown; procedure?: Node; [key: string]: unknown };

/** JSONata's own functions: a `$name` called with one of these names is not a fact. */
export const BUILTIN_FUNCTIONS = new Set(
  (
    'sum count max min average string substring substringBefore substringAfter lowercase uppercase length trim pad ' +
    'match contains replace split join formatNumber formatBase formatInteger parseInteger number floor ceil round abs ' +
    'power sqrt random millis now fromMillis toMillis boolean not exists map zip filter single reduce sift keys lookup ' +
    'append spread merge reverse each error assert type sort shuffle distinct base64encode base64decode encodeUrlComponent ' +
    'encodeUrl decodeUrlComponent decodeUrl eval clone'
  ).split(' '),
);

/**
 * The `$names` an expression reads that it does not bind itself (`$x := …`, function parameters):
 * they must be facts defined before it or documented functions, or the runbook is refused at load.
 */
export function freeNames(expression: string): string[] {
  const free = new Set<string>();
  const walk = (node: unknown, bound: ReadonlySet<string>): void => {
    if (Array.isArray(node)) {
      // A block binds in order: `$a := 1; $a + 1` reads its own $a.
      const scope = new Set(bound);
      for (const item of node) {
        walk(item, scope);
        const entry = item as Node;
        if (entry?.type === 'bind' && (entry.lhs as Node)?.type === 'variable')
          scope.add(String((entry.lhs as Node).value));
      }
      return;
    }
    if (!node || typeof node !== 'object') return;
    const entry = node as Node;
    // `$` and `$$` are the context and the root, not names.
    if (entry.type === 'variable' && entry.value !== '' && entry.value !== '$' && !bound.has(String(entry.value)))
      free.add(String(entry.value));
    if (entry.type === 'bind') {
      walk(entry.rhs, bound);
      return;
    }
    if (entry.type === 'lambda') {
      const parameters = new Set(bound);
      for (const argument of (entry.arguments as Node[]) ?? []) parameters.add(String(argument.value));
      walk(entry.body, parameters);
      return;
    }
    if ((entry.type === 'function' || entry.type === 'partial') && entry.procedure?.type === 'variable') {
      const name = String(entry.procedure.value);
      if (!BUILTIN_FUNCTIONS.has(name) && !bound.has(name)) free.add(name);
      walk(entry.arguments, bound);
      return;
    }
    if (entry.type === 'block') {
      walk(entry.expressions, bound);
      return;
    }
    for (const [key, value] of Object.entries(entry)) if (key !== 'procedure') walk(value, bound);
  };
  walk(jsonata(expression).ast(), new Set());
  return [...free];
}

/**
 * The field paths an expression reads from its input's root (`data.ours.after`), up to the first
 * step that is not a plain name. Paths inside filters are relative to an item and are left out.
 */
export function rootPaths(expression: string): string[][] {
  const paths: string[][] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const entry = node as Node;
    // Lambdas, filters and sort terms read relative to an item, not the root.
    if (entry.type === 'lambda' || entry.type === 'filter' || entry.type === 'sort') return;
    if (entry.type === 'path') {
      const steps = (entry.steps as Node[]) ?? [];
      const names: string[] = [];
      for (const step of steps) {
        if (step.type !== 'name') break;
        names.push(String(step.value));
        if (step.stages || step.predicate || step.group) break;
      }
      if (names.length > 0) paths.push(names);
      // Later steps and filters read relative to an item; only blocks and calls in them are skipped too.
      return;
    }
    if (entry.type === 'name') {
      paths.push([String(entry.value)]);
      return;
    }
    for (const [key, value] of Object.entries(entry))
      if (!['procedure', 'stages', 'predicate', 'group'].includes(key)) walk(value);
  };
  walk(jsonata(expression).ast());
  return paths;
}

/**
 * The first of `paths` that names a field no record at its level has (a typo, not an empty
 * result): `data.ours.aftr` when `data.ours` exists without `aftr`. Empty lists and nulls cannot
 * tell, so they never count as missing.
 */
export function missingPath(paths: string[][], input: unknown): string | undefined {
  for (const path of paths) {
    let level: unknown[] = [input];
    for (const [index, name] of path.entries()) {
      const records = level
        .flatMap((value) => (Array.isArray(value) ? value : [value]))
        .filter((value): value is Record<string, unknown> => typeof value === 'object' && value !== null);
      if (records.length === 0) break;
      if (!records.some((record) => name in record)) return path.slice(0, index + 1).join('.');
      level = records.map((record) => record[name]);
    }
  }
  return undefined;
}
