import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { type Mailer, MessageRejected } from '../../application/ports';

/** Refusals that sending again cannot fix; anything else (throttling, outages) is retried by the caller. */
const PERMANENT = new Set(['MessageRejected', 'BadRequestException', 'MailFromDomainNotVerifiedException']);

/** Plain-text email through SES v2, from the configured sender address. */
export class SesMailer implements Mailer {
  constructor(
    private readonly ses: SESv2Client,
    private readonly from: string,
  ) {}

  async send(message: { to: string; subject: string; body: string; reference: string }) {
    try {
      const result = await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: this.from,
          Destination: { ToAddresses: [message.to] },
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: message.body, Charset: 'UTF-8' } },
            },
          },
          // Tag values allow only [A-Za-z0-9_-]: the notification id, made safe, for tracing a bounce back.
          EmailTags: [
            { Name: 'notification', Value: message.reference.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256) },
          ],
        }),
      );
      return { messageId: String(result.MessageId) };
    } catch (error) {
      if (error instanceof Error && PERMANENT.has(error.name)) throw new MessageRejected(error.message);
      throw error;
    }
  }
}
