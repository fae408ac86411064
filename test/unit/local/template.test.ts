import { describe, expect, it } from 'vitest';
import { LocalTemplate } from '../../../infra/local/template';

const template = new LocalTemplate(
  {
    Resources: {
      Table: { Type: 'AWS::DynamoDB::GlobalTable' },
      Fn: { Type: 'AWS::Lambda::Function' },
      Machine: { Type: 'AWS::StepFunctions::StateMachine' },
      Bus: { Type: 'AWS::Events::EventBus' },
    },
  },
  '/tmp/cdk.out',
);

describe('template intrinsics resolved to local names', () => {
  it('resolves Ref to names (ARN for a state machine) and pseudo parameters', () => {
    expect(template.resolve({ Ref: 'Table' })).toBe('Table');
    expect(template.resolve({ Ref: 'Machine' })).toBe(
      'arn:aws:states:us-east-1:000000000000:stateMachine:Machine',
    );
    expect(template.resolve({ Ref: 'AWS::Region' })).toBe('us-east-1');
  });

  it('resolves Fn::GetAtt, Fn::Join, Fn::Sub and Fn::Select', () => {
    expect(template.resolve({ 'Fn::GetAtt': ['Fn', 'Arn'] })).toBe(
      'arn:aws:lambda:us-east-1:000000000000:function:Fn',
    );
    expect(template.resolve({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':x']] })).toBe(
      'arn:aws:x',
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax
    expect(template.resolve({ 'Fn::Sub': 'bucket-${AWS::AccountId}-${Bus.Arn}' })).toBe(
      'bucket-000000000000-arn:aws:events:us-east-1:000000000000:event-bus/Bus',
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax
    expect(template.resolve({ 'Fn::Sub': ['${X}-y', { X: { Ref: 'Table' } }] })).toBe('Table-y');
    expect(template.resolve({ 'Fn::Select': [1, ['a', 'b']] })).toBe('b');
  });

  it('fails loudly on intrinsics it cannot resolve', () => {
    expect(() => template.resolve({ 'Fn::ImportValue': 'x' })).toThrow(/not supported by the local cloud/);
    expect(() => template.resolve({ Ref: 'Nope' })).toThrow(/unknown resource Nope/);
  });

  it('finds a function bundle by its asset hash', () => {
    const hash = 'a'.repeat(64);
    expect(template.assetDir({ S3Key: `${hash}.zip` })).toBe(`/tmp/cdk.out/asset.${hash}`);
    expect(() => template.assetDir({ S3Key: 'code.zip' })).toThrow(/not a CDK asset/);
  });
});
