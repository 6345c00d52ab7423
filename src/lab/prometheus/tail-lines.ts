/** The last `count` non-empty lines of a process's output, joined on one line for a message. */
export function tailLines(output: string, count = 8): string {
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  return lines.length === 0 ? '(no output)' : lines.slice(-count).join(' | ');
}
