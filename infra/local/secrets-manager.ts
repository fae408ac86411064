import { randomInt, randomUUID } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { AwsServiceError } from './aws-error';
import { ensureTables, stringKeyedTable } from './dynamodb';
import type { LocalTemplate } from './template';

/** The local cloud's own table for secret values: they survive restarts, as a carrier holds them. */
const SECRETS_TABLE = 'LocalCloudSecrets';

interface StoredSecret {
  name: string;
  arn: string;
  description?: string;
  secretString: string;
  versionId: string;
  createdDate: number;
}

interface GenerateOptions {
  PasswordLength?: number;
  ExcludeCharacters?: string;
  ExcludeLowercase?: boolean;
  ExcludeUppercase?: boolean;
  ExcludeNumbers?: boolean;
  ExcludePunctuation?: boolean;
  IncludeSpace?: boolean;
  RequireEachIncludedType?: boolean;
  SecretStringTemplate?: string;
  GenerateStringKey?: string;
}

const CHARACTER_TYPES = {
  ExcludeLowercase: 'abcdefghijklmnopqrstuvwxyz',
  ExcludeUppercase: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  ExcludeNumbers: '0123456789',
  ExcludePunctuation: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
} as const;

/** A random password as Secrets Manager's GenerateSecretString makes it (32 characters of every type by default). */
export function generatePassword(options: GenerateOptions): string {
  const excluded = new Set(options.ExcludeCharacters ?? '');
  const types = (Object.keys(CHARACTER_TYPES) as Array<keyof typeof CHARACTER_TYPES>)
    .filter((flag) => !options[flag])
    .map((flag) => [...CHARACTER_TYPES[flag]].filter((c) => !excluded.has(c)))
    .filter((chars) => chars.length > 0);
  if (options.IncludeSpace) types.push([' ']);
  const all = types.flat();
  if (all.length === 0) throw new AwsServiceError('InvalidParameterException', 'No characters left to use');
  const length = options.PasswordLength ?? 32;
  for (;;) {
    const password = Array.from({ length }, () => all[randomInt(all.length)]).join('');
    if (options.RequireEachIncludedType === false || types.every((t) => t.some((c) => password.includes(c))))
      return password;
  }
}

function initialValue(properties: Record<string, unknown>): string {
  if (typeof properties.SecretString === 'string') return properties.SecretString;
  const options = (properties.GenerateSecretString ?? {}) as GenerateOptions;
  const password = generatePassword(options);
  if (!options.SecretStringTemplate || !options.GenerateStringKey) return password;
  const template = JSON.parse(options.SecretStringTemplate) as Record<string, unknown>;
  return JSON.stringify({ ...template, [options.GenerateStringKey]: password });
}

/**
 * The template's Secrets Manager secrets, created once (from SecretString or GenerateSecretString)
 * and kept in DynamoDB Local, served through GetSecretValue, PutSecretValue and ListSecrets on the
 * local AWS endpoint, so functions read them with the unchanged SDK client.
 */
export class LocalSecretsManager {
  private readonly arns = new Map<string, string>();

  private constructor(private readonly db: DynamoDBClient) {}

  static async fromTemplate(db: DynamoDBClient, template: LocalTemplate): Promise<LocalSecretsManager> {
    const manager = new LocalSecretsManager(db);
    await ensureTables(db, [stringKeyedTable(SECRETS_TABLE, 'name')]);
    for (const { logicalId, properties } of template.resourcesOfType('AWS::SecretsManager::Secret')) {
      const secret: StoredSecret = {
        name: String(properties.Name ?? logicalId),
        arn: template.arn(logicalId),
        ...(typeof properties.Description === 'string' ? { description: properties.Description } : {}),
        secretString: initialValue(properties),
        versionId: randomUUID(),
        createdDate: Date.now() / 1000,
      };
      manager.arns.set(secret.name, secret.arn);
      await manager.save(secret, { onlyNew: true });
    }
    return manager;
  }

  private async save(secret: StoredSecret, { onlyNew }: { onlyNew: boolean }): Promise<void> {
    try {
      await this.db.send(
        new PutItemCommand({
          TableName: SECRETS_TABLE,
          Item: marshall(secret, { removeUndefinedValues: true }),
          ...(onlyNew
            ? {
                ConditionExpression: 'attribute_not_exists(#name)',
                ExpressionAttributeNames: { '#name': 'name' },
              }
            : {}),
        }),
      );
    } catch (error) {
      // Created at an earlier start: it keeps the value it was given then.
      if (!(onlyNew && error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** A secret by its name or ARN, as Secrets Manager accepts either as SecretId. */
  private async find(secretId: unknown): Promise<StoredSecret> {
    const id = String(secretId ?? '');
    const name = [...this.arns].find(([n, arn]) => n === id || arn === id)?.[0];
    const result = name
      ? await this.db.send(
          new GetItemCommand({ TableName: SECRETS_TABLE, Key: marshall({ name }), ConsistentRead: true }),
        )
      : undefined;
    if (!result?.Item)
      throw new AwsServiceError(
        'ResourceNotFoundException',
        "Secrets Manager can't find the specified secret.",
      );
    return unmarshall(result.Item) as StoredSecret;
  }

  async getSecretValue(input: { SecretId?: unknown }) {
    const secret = await this.find(input.SecretId);
    return {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: secret.versionId,
      SecretString: secret.secretString,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: secret.createdDate,
    };
  }

  /** A new current version (how ops rotate a carrier's secret). */
  async putSecretValue(input: { SecretId?: unknown; SecretString?: unknown }) {
    if (typeof input.SecretString !== 'string')
      throw new AwsServiceError('InvalidParameterException', 'SecretString is required');
    const secret = await this.find(input.SecretId);
    const next = {
      ...secret,
      secretString: input.SecretString,
      versionId: randomUUID(),
      createdDate: Date.now() / 1000,
    };
    await this.save(next, { onlyNew: false });
    return { ARN: next.arn, Name: next.name, VersionId: next.versionId, VersionStages: ['AWSCURRENT'] };
  }

  listSecrets() {
    return { SecretList: [...this.arns].map(([Name, ARN]) => ({ ARN, Name })) };
  }
}
