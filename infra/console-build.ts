import * as path from 'node:path';
import { PROJECT_ROOT } from './constructs/oms-function';

const esbuild = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'esbuild');
const source = (file: string) => JSON.stringify(path.join(PROJECT_ROOT, 'console', file));

/**
 * Builds the ops console (console/, Preact + Pico CSS) into `<outputDir>/console` with the
 * project's esbuild, as the last step of bundling the function that serves it: the page ships
 * inside that function's asset, so AWS and the local cloud serve the same files.
 */
export function consoleBuild(outputDir: string): string[] {
  const out = (file: string) => JSON.stringify(path.join(outputDir, 'console', file));
  return [
    `${JSON.stringify(esbuild)} ${source('main.tsx')} --bundle --minify --format=esm --target=es2022 --jsx=automatic --jsx-import-source=preact --log-level=warning --outfile=${out('app.js')}`,
    `${JSON.stringify(esbuild)} ${source('app.css')} --bundle --minify --log-level=warning --outfile=${out('app.css')}`,
    `cp ${source('index.html')} ${out('index.html')}`,
    // The cost report `npm run cost` wrote: the Cost page shows the release's cost to serve.
    `cp ${source('cost-report.json')} ${out('cost-report.json')}`,
  ];
}
