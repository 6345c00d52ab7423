/**
 * Renames exporter label spellings to one name (`Hostname`/`hostname` → `node`), so output and
 * checks do not care which exporter version produced a series.
 */
export function applyLabelAliases(
  labels: Record<string, string>,
  aliases: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(labels)) {
    const alias = aliases[name];
    if (alias && labels[alias] === undefined) out[alias] = value;
    else out[name] = value;
  }
  return out;
}

/** The labels whose values differ between series: the ones worth printing. */
export function varyingLabels(series: Array<Record<string, string>>): string[] {
  const names = new Set(series.flatMap((labels) => Object.keys(labels)));
  return [...names]
    .filter((name) => new Set(series.map((labels) => labels[name])).size > 1 || series.length === 1)
    .sort();
}

export function formatLabels(labels: Record<string, string>, names: string[]): string {
  const shown = names.filter((name) => labels[name] !== undefined).map((name) => `${name}=${labels[name]}`);
  return shown.length > 0 ? shown.join(' ') : '{}';
}
