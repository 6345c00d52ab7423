/**
 * Functions every runbook expression can call, for the comparisons checks make again and again.
 * They take null for "no value" and then return null, never a guess.
 */
export const FACT_FUNCTIONS = {
  /** after ÷ before, or null without both (or with a baseline of 0). */
  ratio: (after: unknown, before: unknown): number | null =>
    typeof after === 'number' && typeof before === 'number' && before > 0 ? after / before : null,
  /** Whether a value grew at least `factor` times over its baseline (from 0, any rise counts). */
  grew: (before: unknown, after: unknown, factor: unknown): boolean | null => {
    if (typeof before !== 'number' || typeof after !== 'number' || typeof factor !== 'number') return null;
    return before > 0 ? after >= factor * before : after > 0;
  },
  /** Minutes from `from` to `to` (RFC 3339 times or ms), null without both. */
  minutes: (from: unknown, to: unknown): number | null => {
    const ms = (value: unknown) =>
      typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
    const delta = ms(to) - ms(from);
    return Number.isFinite(delta) ? delta / 60_000 : null;
  },
  /**
   * The ranks of a distributed workload the evidence singles out: its pods (with a role) whose node
   * or name is among `affected`, named "worker-1 (pod x)". Empty when every placed pod is hit, so
   * a fault on all ranks is not called an odd one.
   */
  oddRanks: (pods: unknown, affected: unknown): string => {
    const list = <T>(value: unknown): T[] => (Array.isArray(value) ? value : value == null ? [] : [value]) as T[];
    const hit = new Set(list<unknown>(affected).filter((value) => typeof value === 'string'));
    const placed = list<{ name?: string; node?: string; role?: string }>(pods).filter(
      (pod) => typeof pod === 'object' && pod !== null && typeof pod.node === 'string',
    );
    const isHit = (pod: { name?: string; node?: string }) => hit.has(pod.node ?? '') || hit.has(pod.name ?? '');
    if (placed.every(isHit)) return '';
    const ranks = placed.filter((pod) => isHit(pod) && pod.role).map((pod) => `${pod.role} (pod ${pod.name})`);
    return [...new Set(ranks)].join(', ');
  },
} as const;

/** The signatures JSONata checks the arguments against (`n` number, `s` string, `j` any JSON, `-` the context). */
export const FACT_SIGNATURES: Record<keyof typeof FACT_FUNCTIONS, string> = {
  ratio: '<j-j:j>',
  grew: '<j-j-j:j>',
  minutes: '<j-j:j>',
  oddRanks: '<j-j:s>',
};

/** Names a runbook expression may use besides its own facts: these functions. */
export const FACT_FUNCTION_NAMES: ReadonlySet<string> = new Set(Object.keys(FACT_FUNCTIONS));
