import { execSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AssetHashType, DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildSync, stop } from 'esbuild';

/** Folders whose every file is one function's handler (functions/lib holds what they share). */
const HANDLER_FOLDERS = ['functions/events', 'functions/http', 'functions/workflow'];

/**
 * esbuild options of every function: ESM for Node 22, minified. The AWS SDK is bundled rather
 * than taken from the runtime, so its version is the lockfile's and the same bundle runs on
 * Lambda and in the local cloud.
 */
const BUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  // Error class names are what the state machines' Catch/Retry match (DomainError sets `name`
  // from its class): minified without this, NotFoundError would reach the ASL as `t`.
  keepNames: true,
  // No source maps: --enable-source-maps makes the first error of a cold start cost over a second.
  sourcemap: false,
  mainFields: ['module', 'main'],
  // Some dependencies still call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
} as const;

let built: string | undefined;

/**
 * Bundles every handler in one esbuild run, once per process, and answers the folder of the
 * bundles. Why not NodejsFunction's own bundling: it runs esbuild once per function, and each
 * run parses the whole AWS SDK again (86 functions took two minutes on two cores); one run with
 * every entry point parses each module once and builds the bundles in parallel.
 */
function bundleAll(projectRoot: string): string {
  if (built) return built;
  const outdir = mkdtempSync(path.join(tmpdir(), 'oms-bundles-'));
  // The assets are copies; the shared run's output goes with the process.
  process.once('exit', () => rmSync(outdir, { recursive: true, force: true }));
  const entryPoints = HANDLER_FOLDERS.flatMap((folder) =>
    readdirSync(path.join(projectRoot, folder))
      .filter((file) => file.endsWith('.ts'))
      .map((file) => path.join(projectRoot, folder, file)),
  );
  buildSync({
    ...BUILD_OPTIONS,
    mainFields: [...BUILD_OPTIONS.mainFields],
    entryPoints,
    outbase: projectRoot,
    outdir,
    absWorkingDir: projectRoot,
    tsconfig: path.join(projectRoot, 'tsconfig.json'),
  });
  // buildSync leaves esbuild's service process running for later calls; there are none.
  stop();
  built = outdir;
  return outdir;
}

/** Puts one handler's bundle (from the shared run) in the asset's folder as `index.mjs`. */
class PrebundledHandler implements ILocalBundling {
  constructor(
    private readonly projectRoot: string,
    readonly entry: string,
    private readonly afterBundling: (outputDir: string) => string[],
  ) {}

  tryBundle(outputDir: string): boolean {
    const bundle = path.join(bundleAll(this.projectRoot), this.entry.replace(/\.ts$/, '.mjs'));
    copyFileSync(bundle, path.join(outputDir, 'index.mjs'));
    for (const command of this.afterBundling(outputDir)) execSync(command, { stdio: 'inherit' });
    return true;
  }
}

/**
 * The code of the function whose handler is `entry` (relative to `projectRoot`), bundled as
 * `index.mjs` (handler `index.handler`). A synthesis without bundling (the infrastructure tests)
 * skips it, as CDK skips any asset bundling.
 */
export function handlerCode(
  projectRoot: string,
  entry: string,
  afterBundling: (outputDir: string) => string[] = () => [],
): lambda.Code {
  return lambda.Code.fromAsset(path.join(projectRoot, path.dirname(entry)), {
    // The asset is the bundle: its hash is the bundle's, so an unchanged handler is not uploaded again.
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      local: new PrebundledHandler(projectRoot, entry, afterBundling),
      // Never used: the local bundling above always succeeds, and CDK requires an image.
      image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'),
      // Part of CDK's staging cache key, so two handlers of one folder are two assets.
      command: ['prebundled', entry],
    },
  });
}
