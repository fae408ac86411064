import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CarrierSecrets } from '../../application/ports';

/** How long a secret read is reused: a rotation reaches every warm function within this. */
const CACHE_MS = 5 * 60 * 1000;

/**
 * Each carrier's webhook secrets from its Secrets Manager secret, a JSON object
 * `{"current": "...", "previous"?: "..."}`: while a secret is rotated the carrier may still sign
 * with the previous one, so both are accepted until ops remove it.
 */
export class SecretsManagerCarrierSecrets implements CarrierSecrets {
  private readonly cache = new Map<string, { secrets: readonly string[]; until: number }>();

  constructor(
    private readonly client: SecretsManagerClient,
    /** Carrier -> its secret's ARN; a carrier not listed is not configured. */
    private readonly secretArns: Record<string, string>,
    private readonly now: () => number = Date.now,
  ) {}

  async of(carrier: string): Promise<readonly string[]> {
    const arn = Object.hasOwn(this.secretArns, carrier) ? this.secretArns[carrier] : undefined;
    if (!arn) return [];
    const cached = this.cache.get(carrier);
    if (cached && cached.until > this.now()) return cached.secrets;
    const { SecretString } = await this.client.send(new GetSecretValueCommand({ SecretId: arn }));
    const value = JSON.parse(SecretString ?? '{}') as { current?: unknown; previous?: unknown };
    const secrets = [value.current, value.previous].filter(
      (s): s is string => typeof s === 'string' && s.length > 0,
    );
    this.cache.set(carrier, { secrets, until: this.now() + CACHE_MS });
    return secrets;
  }
}
