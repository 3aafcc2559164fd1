// `pnpm bench`: runs every test/bench/*.bench.ts in turn, each in its own process, and stops at the
// first failure. Pass names to run a subset: `pnpm bench http-overhead injection`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => wanted.length === 0 || wanted.includes(name.slice(0, -'.bench.ts'.length)))
  .sort();

if (files.length === 0) {
  console.error(wanted.length ? `No benchmark named ${wanted.join(', ')}` : 'No benchmarks found');
  process.exit(1);
}
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const result = spawnSync(
    process.execPath,
    ['--conditions=dev-source', '--import', 'tsx', `${dir}${file}`],
    {
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) {
    console.error(`${file} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}
console.log(`\n${files.length} benchmark(s) done; results are in docs/benchmarks.md`);
