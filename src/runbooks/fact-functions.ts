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
} as const;

/** The signatures JSONata checks the arguments against (`n` number, `s` string, `j` any JSON, `-` the context). */
export const FACT_SIGNATURES: Record<keyof typeof FACT_FUNCTIONS, string> = {
  ratio: '<j-j:j>',
  grew: '<j-j-j:j>',
  minutes: '<j-j:j>',
};

/** Names a runbook expression may use besides its own facts: these functions. */
export const FACT_FUNCTION_NAMES: ReadonlySet<string> = new Set(Object.keys(FACT_FUNCTIONS));
