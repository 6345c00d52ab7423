/** RFC 3339 in UTC with second precision (`2025-01-02T03:04:05Z`), as Kubernetes and Alertmanager print times. */
export function rfc3339(date: Date): string {
  const seconds = Math.floor(date.getTime() / 1000) * 1000;
  return new Date(seconds).toISOString().replace('.000Z', 'Z');
}
