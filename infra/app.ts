import { App } from 'aws-cdk-lib';
import { OmsStack } from './oms-stack';

export const STACK_NAME = 'Oms';

/** The CDK app; the local cloud synthesizes this same app. */
export function buildApp(options: { outdir?: string; bundling?: boolean } = {}): App {
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    ...(options.bundling === false ? { context: { 'aws:cdk:bundling-stacks': [] } } : {}),
  });
  new OmsStack(app, STACK_NAME, {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  return app;
}
