import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildApp, STACK_NAME } from '../app';
import { PROJECT_ROOT } from '../constructs/oms-function';

/** What the synthesized app (template and bundles) is made from. */
const SOURCES = [
  'infra',
  'functions',
  'shared',
  'workflows',
  'console',
  'package-lock.json',
  'tsconfig.json',
  'cdk.json',
];

function sourceHash(): string {
  const hash = createHash('sha256');
  const visit = (relative: string) => {
    const full = path.join(PROJECT_ROOT, relative);
    if (!existsSync(full)) return;
    if (/\.(json|tsx?|css|html)$/.test(relative)) {
      hash.update(relative).update(readFileSync(full));
      return;
    }
    for (const entry of readdirSync(full, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      if (entry.isDirectory() || /\.(json|tsx?|css|html)$/.test(entry.name))
        visit(path.join(relative, entry.name));
    }
  };
  for (const source of SOURCES) visit(source);
  return hash.digest('hex');
}

/**
 * Synthesizes the CDK app (with bundled functions) into `outdir`; the local cloud runs what lands
 * there. Bundling every function takes some 20 s on two cores, so an assembly made from
 * the same sources is reused (`reused` says so).
 */
export function synthesize(outdir: string): { assemblyDir: string; stackName: string; reused: boolean } {
  const stamp = path.join(outdir, 'oms-source.sha256');
  const hash = sourceHash();
  if (
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8') === hash &&
    existsSync(path.join(outdir, 'manifest.json'))
  ) {
    return { assemblyDir: outdir, stackName: STACK_NAME, reused: true };
  }
  const assembly = buildApp({ outdir }).synth();
  writeFileSync(stamp, hash);
  return { assemblyDir: assembly.directory, stackName: STACK_NAME, reused: false };
}
