import * as path from 'node:path';
import type { TestProject } from 'vitest/node';
import { synthesize } from '../../infra/local/synthesize';

declare module 'vitest' {
  export interface ProvidedContext {
    assemblyDir: string;
    stackName: string;
  }
}

/** Synthesizes the CDK app once, bundles included; every integration test runs that assembly. */
export default function setup(project: TestProject): void {
  const outdir = path.resolve(import.meta.dirname, '../../.oms/test-assembly');
  const { assemblyDir, stackName } = synthesize(outdir);
  project.provide('assemblyDir', assemblyDir);
  project.provide('stackName', stackName);
}
