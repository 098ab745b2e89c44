import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Runs a bench when its own file is the program (`node --import tsx test/bench/<name>.ts`) and
 * prints its figures as JSON; when `npm run bench` (run.ts) imports the file, this does nothing.
 */
export function runWhenMain(moduleUrl: string, bench: () => Promise<unknown>, indent?: number): void {
  const program = process.argv[1];
  if (program === undefined || resolve(program) !== fileURLToPath(moduleUrl)) return;
  bench().then(
    (figures) => {
      console.log(JSON.stringify(figures, null, indent));
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
