import type { Template } from 'aws-cdk-lib/assertions';

export interface Statement {
  Action: string | string[];
  Resource?: unknown;
  [key: string]: unknown;
}

type Resource = { Type: string; Properties: Record<string, unknown> };

/**
 * Every policy statement in the template with the logical id of the role it is granted to: the
 * functions' roles hold theirs inline (AWS::IAM::Role Policies), CDK's own roles in separate
 * AWS::IAM::Policy resources.
 */
export function grantedStatements(template: Template): Array<{ role: string; statement: Statement }> {
  const resources = template.toJSON().Resources as Record<string, Resource>;
  const documents = Object.entries(resources).flatMap(([id, r]) => {
    if (r.Type === 'AWS::IAM::Role')
      return ((r.Properties.Policies ?? []) as Array<{ PolicyDocument: { Statement: Statement[] } }>).map(
        (p) => ({ roles: [id], statements: p.PolicyDocument.Statement }),
      );
    if (r.Type === 'AWS::IAM::Policy')
      return [
        {
          roles: (r.Properties.Roles as Array<{ Ref: string }>).map((ref) => ref.Ref),
          statements: (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
        },
      ];
    return [];
  });
  return documents.flatMap(({ roles, statements }) =>
    roles.flatMap((role) => statements.map((statement) => ({ role, statement }))),
  );
}

/** The statements granted to one role. */
export const statementsOfRole = (template: Template, roleId: string): Statement[] =>
  grantedStatements(template)
    .filter((g) => g.role === roleId)
    .map((g) => g.statement);

export const actionsOf = (statements: Statement[]): string[] =>
  statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
