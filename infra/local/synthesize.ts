import { buildApp, STACK_NAME } from '../app';

/** Synthesizes the CDK app (with bundled functions) into `outdir`; the local cloud runs what lands there. */
export function synthesize(outdir: string): { assemblyDir: string; stackName: string } {
  const assembly = buildApp({ outdir }).synth();
  return { assemblyDir: assembly.directory, stackName: STACK_NAME };
}
