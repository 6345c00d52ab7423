const SUFFIXES: ReadonlyArray<[suffix: string, factor: number]> = [
  ['', 1],
  ['k', 1e3],
  ['M', 1e6],
  ['G', 1e9],
  ['T', 1e12],
];

/** `61.333` → `61.3`, `1234` → `1.23k`, `2.5e9` → `2.5G`: three significant digits, trailing zeros dropped. */
export function formatCompactNumber(value: number, significantDigits = 3): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  if (value === 0) return '0';
  let index = 0;
  while (index < SUFFIXES.length - 1 && Math.abs(value) >= (SUFFIXES[index + 1]?.[1] ?? Infinity)) index += 1;
  let scaled = Number((value / (SUFFIXES[index]?.[1] ?? 1)).toPrecision(significantDigits));
  // Rounding can carry into the next unit (999.6 → 1000 → 1k).
  if (Math.abs(scaled) >= 1000 && index < SUFFIXES.length - 1) {
    index += 1;
    scaled = Number((value / (SUFFIXES[index]?.[1] ?? 1)).toPrecision(significantDigits));
  }
  return `${scaled}${SUFFIXES[index]?.[0] ?? ''}`;
}
