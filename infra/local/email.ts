import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as path from 'node:path';
import { readBody } from './http-server';

export interface SentEmail {
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  tags: Record<string, string>;
  sentAt: string;
}

/** What SES v2 checks of an address before it accepts a message (RFC 5321 sizes, one @, a dotted domain). */
const ADDRESS = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;

class BadRequest extends Error {}

interface SendEmailRequest {
  FromEmailAddress?: unknown;
  Destination?: { ToAddresses?: unknown; CcAddresses?: unknown; BccAddresses?: unknown };
  Content?: {
    Simple?: {
      Subject?: { Data?: unknown };
      Body?: { Text?: { Data?: unknown }; Html?: { Data?: unknown } };
    };
  };
  EmailTags?: Array<{ Name?: unknown; Value?: unknown }>;
}

function addresses(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new BadRequest(`${field} must be a list`);
  for (const address of value) {
    if (typeof address !== 'string' || !ADDRESS.test(address))
      throw new BadRequest(`Illegal address in ${field}: ${String(address)}`);
  }
  return value as string[];
}

/** Parses a SendEmail request as SES v2 validates it; a BadRequest names what is wrong. */
function parseSendEmail(body: SendEmailRequest): Omit<SentEmail, 'messageId' | 'sentAt'> {
  const from = body.FromEmailAddress;
  if (typeof from !== 'string' || !ADDRESS.test(from)) throw new BadRequest('Illegal FromEmailAddress');
  const to = [
    ...addresses(body.Destination?.ToAddresses, 'ToAddresses'),
    ...addresses(body.Destination?.CcAddresses, 'CcAddresses'),
    ...addresses(body.Destination?.BccAddresses, 'BccAddresses'),
  ];
  if (to.length === 0) throw new BadRequest('Destination needs at least one address');
  if (to.length > 50) throw new BadRequest('Destination holds more than 50 addresses');
  const simple = body.Content?.Simple;
  const subject = simple?.Subject?.Data;
  const text = simple?.Body?.Text?.Data ?? simple?.Body?.Html?.Data;
  if (typeof subject !== 'string' || typeof text !== 'string')
    throw new BadRequest('Content.Simple needs a Subject and a Text or Html body');
  const tags: Record<string, string> = {};
  for (const tag of body.EmailTags ?? []) {
    if (typeof tag.Name !== 'string' || typeof tag.Value !== 'string' || !/^[\w-]{1,256}$/.test(tag.Value))
      throw new BadRequest('EmailTags names and values may hold only letters, digits, _ and -');
    tags[tag.Name] = tag.Value;
  }
  return { from, to, subject, text, tags };
}

/**
 * SES v2's SendEmail on the local AWS endpoint (REST JSON, as the SDK calls it through
 * AWS_ENDPOINT_URL_SESV2): it validates like SES, answers a MessageId, and delivers into a local
 * mailbox, kept in memory and, when given a folder, written there as .eml files to open.
 */
export class LocalEmail {
  private readonly mailbox: SentEmail[] = [];
  private down = false;

  constructor(private readonly folder?: string) {
    if (folder) mkdirSync(folder, { recursive: true });
  }

  static handles(request: IncomingMessage): boolean {
    return request.url?.startsWith('/v2/email/') ?? false;
  }

  /**
   * Takes the mail service down (every send answers 503, as SES does in an outage) or brings it
   * back: how a test or a demo shows a failing dependency end in a dead-letter queue and recover.
   */
  setOutage(down: boolean): void {
    this.down = down;
  }

  /** Messages delivered since the start, oldest first. */
  sent(): readonly SentEmail[] {
    return this.mailbox;
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const reply = (status: number, body: unknown, errorType?: string) => {
      response.writeHead(status, {
        'content-type': 'application/json',
        ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
      });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'POST' || request.url?.split('?')[0] !== '/v2/email/outbound-emails') {
      reply(404, { message: `${request.method} ${request.url} is not emulated` }, 'NotFoundException');
      return;
    }
    const raw = await readBody(request, 10 * 1024 * 1024);
    if (this.down) {
      reply(503, { message: 'Service Unavailable (a local outage, set by setOutage)' }, 'ServiceUnavailable');
      return;
    }
    try {
      if (!raw) throw new BadRequest('Message larger than 10 MB');
      const email: SentEmail = {
        ...parseSendEmail(JSON.parse(raw.toString('utf8')) as SendEmailRequest),
        messageId: `${randomUUID()}-local`,
        sentAt: new Date().toISOString(),
      };
      this.mailbox.push(email);
      if (this.folder) writeFileSync(path.join(this.folder, `${email.messageId}.eml`), asEml(email));
      reply(200, { MessageId: email.messageId });
    } catch (error) {
      if (!(error instanceof BadRequest || error instanceof SyntaxError)) throw error;
      reply(400, { message: error.message }, 'BadRequestException');
    }
  }
}

function asEml(email: SentEmail): string {
  return [
    `Message-ID: <${email.messageId}@local.oms>`,
    `Date: ${new Date(email.sentAt).toUTCString()}`,
    `From: ${email.from}`,
    `To: ${email.to.join(', ')}`,
    `Subject: ${email.subject}`,
    'Content-Type: text/plain; charset=UTF-8',
    '',
    email.text,
    '',
  ].join('\r\n');
}
