/** US dollars for people: cents when exact, four decimals otherwise, so small spends never read as $0.00. */
export function formatUsd(usd: number): string {
  return `$${Number(usd.toFixed(2)) === usd ? usd.toFixed(2) : usd.toFixed(4)}`;
}
