import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildApp, STACK_NAME } from '../../infra/app';

interface Report {
  pluginReports: Array<{ pluginName: string; conclusion: string; violations: Array<{ ruleName: string }> }>;
}

/** Synthesizes the app (cdk-nag runs in every synthesis) and reads CDK's validation report. */
function synthesize(extend?: (stack: Stack) => void): { error?: unknown; report: Report } {
  const outdir = mkdtempSync(path.join(tmpdir(), 'oms-nag-'));
  const app = buildApp({ bundling: false, outdir });
  extend?.(app.node.findChild(STACK_NAME) as Stack);
  let error: unknown;
  try {
    app.synth();
  } catch (e) {
    error = e;
  }
  return { error, report: JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) };
}

function acknowledgements(root: IConstruct): Array<{ path: string; id: string; reason: string }> {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .map(([id, reason]) => ({ path: c.node.path, id: id.replace(/^Annotation::/, ''), reason })),
  );
}

describe('cdk-nag AWS Solutions', () => {
  it('finds nothing unacknowledged in the stack', () => {
    const { error, report } = synthesize();
    expect(
      report.pluginReports.flatMap((p) => p.violations.map((v) => `${p.pluginName}: ${v.ruleName}`)),
    ).toEqual([]);
    expect(error).toBeUndefined();
  });

  it('fails the synthesis on a finding, so a non-compliant change cannot be deployed or run locally', () => {
    const { error, report } = synthesize((stack) => new s3.Bucket(stack, 'Careless'));
    expect(String(error)).toMatch(/ValidationFailed/);
    const rules = report.pluginReports.flatMap((p) => p.violations.map((v) => v.ruleName));
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });

  it('acknowledges each accepted finding where it arises, with a written reason', () => {
    const app = buildApp({ bundling: false });
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) expect(ack.reason.length, `${ack.path} ${ack.id}`).toBeGreaterThan(40);
    // Never a blanket acknowledgement on the stack or the app.
    expect(acks.filter((a) => a.path === STACK_NAME || a.path === '')).toEqual([]);
    expect(new Set(acks.map((a) => a.id.replace(/\[.*$/, '')))).toEqual(
      new Set([
        'AwsSolutions-IAM5',
        'AwsSolutions-L1',
        'AwsSolutions-APIG4',
        'AwsSolutions-COG8',
        'AwsSolutions-SMG4',
        'AwsSolutions-SQS3',
        'AwsSolutions-SNS2',
      ]),
    );
  });
});
