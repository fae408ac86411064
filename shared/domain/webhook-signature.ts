import { createHmac, timingSafeEqual } from 'node:crypto';

/** How old a signed webhook may be, either way, before it is refused. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type SignatureCheck =
  | { valid: true; timestamp: number; signature: string }
  | { valid: false; reason: string };

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, as carriers are told to send it. */
export function signWebhook(rawBody: string, secret: string, timestamp: number): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/**
 * Verifies an `OMS-Signature` header over the raw body before anything parses it: well-formed,
 * within the tolerance of `now`, and an HMAC any of the carrier's secrets (rotation) produced.
 * Compared in constant time.
 */
export function verifyWebhookSignature(
  rawBody: string,
  header: string | undefined,
  secrets: readonly string[],
  nowSeconds: number,
): SignatureCheck {
  if (!header) return { valid: false, reason: 'the OMS-Signature header is missing' };
  const parts = new Map(
    header.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const t = parts.get('t');
  const v1 = parts.get('v1');
  if (!t || !/^\d{1,12}$/.test(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) {
    return { valid: false, reason: 'the OMS-Signature header is malformed (want t=<unix>,v1=<hex>)' };
  }
  const timestamp = Number(t);
  if (Math.abs(nowSeconds - timestamp) > SIGNATURE_TOLERANCE_SECONDS) {
    return {
      valid: false,
      reason: `the signature timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS} s away`,
    };
  }
  const given = Buffer.from(v1, 'hex');
  const matches = secrets.some((secret) => {
    const expected = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest();
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  return matches
    ? { valid: true, timestamp, signature: v1 }
    : { valid: false, reason: 'the signature does not match' };
}
