/**
 * `npm run bench`: runs every benchmark module in scripts/bench/ (each exports `run()`) and
 * prints its figures. Figures, not pass/fail: targets are printed beside them.
 */
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

const folder = fileURLToPath(new URL('./bench/', import.meta.url));
const only = process.argv.slice(2);
const files = (await readdir(folder)).filter((name) => name.endsWith('.ts')).sort();
for (const file of files) {
  const name = file.replace(/\.ts$/, '');
  if (only.length > 0 && !only.includes(name)) continue;
  process.stdout.write(`\n## ${name}\n`);
  const module = (await import(pathToFileURL(`${folder}${file}`).href)) as { run: () => Promise<void> };
  await module.run();
}
