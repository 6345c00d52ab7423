import type { CommandContext } from '../command-context.js';
import { writeJson } from '../command-context.js';
import { withSources, type SourceOptions } from '../with-sources.js';

/** `holmes doctor`: what Holmes will and will not see on this cluster, before an incident. */
export async function doctor(context: CommandContext, options: SourceOptions = {}): Promise<void> {
  const [{ runDoctor }, { renderDoctor }] = await Promise.all([
    import('../../doctor/run-doctor.js'),
    import('../../doctor/render-doctor.js'),
  ]);
  const report = await withSources(context, options, (config) => runDoctor(config));
  if (context.json) writeJson(context, report);
  else context.out.write(renderDoctor(report));
}
