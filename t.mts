import { createToolbox } from './src/toolsets/create-toolbox.ts';
const t = await createToolbox({});
for (const f of t.failures) for (const i of f.issues) console.log(f.file, i.line, i.path, i.message);
console.log(t.tools({all:true}).find(x=>x.spec.name==='signal_change')?.spec.parameters.signal.values?.join(' '));
