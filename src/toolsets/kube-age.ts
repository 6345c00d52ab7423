/** `3m`, `2h5m`, `4d`: the age format kubectl prints. */
export function formatAge(from: string | undefined, now: Date): string {
  if (!from) return '?';
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(from)) / 1000));
  if (Number.isNaN(seconds)) return '?';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 || hours >= 10 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d`;
}
