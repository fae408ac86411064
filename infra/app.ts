import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { OpsMonitoring } from './constructs/ops-monitoring';
import { OmsStack } from './oms-stack';

/**
 * The context of cdk.json. The CDK CLI passes it to the app itself; an app synthesized in process
 * (the local cloud, the tests) reads it here, so both see the same channels, warehouses and options.
 */
function projectContext(): Record<string, unknown> {
  if (process.env.CDK_CONTEXT_JSON) return {};
  const file = path.join(import.meta.dirname, '..', 'cdk.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { context?: Record<string, unknown> }).context ?? {};
}

export const STACK_NAME = 'Oms';
export const MONITORING_STACK_NAME = 'OmsMonitoring';

/** The CDK app; the local cloud synthesizes this same app. */
export function buildApp(
  options: { outdir?: string; bundling?: boolean; context?: Record<string, unknown> } = {},
): App {
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    context: {
      ...projectContext(),
      ...(options.bundling === false ? { 'aws:cdk:bundling-stacks': [] } : {}),
      ...options.context,
    },
  });
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const oms = new OmsStack(app, STACK_NAME, { env });
  // Dashboard and alarms in a stack of their own: CloudFormation takes at most 500 resources per
  // stack, and they are AWS's alone (the local cloud runs the Oms stack).
  const monitoring = new Stack(app, MONITORING_STACK_NAME, {
    env,
    description: 'OMS dashboard and alarms (CloudWatch)',
  });
  new OpsMonitoring(monitoring, 'Monitoring', oms.monitored);
  // cdk-nag's AWS Solutions rules at every synthesis (cdk deploy and the local cloud alike): a
  // finding fails the synthesis, and each accepted one is acknowledged where it arises, with why.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}
