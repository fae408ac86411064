import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalEmail } from '../../infra/local/email';
import { close, listen } from '../../infra/local/http-server';
import { SesMailer } from '../../shared/adapters/aws/ses-mailer';
import { MessageRejected } from '../../shared/application/ports';

let email: LocalEmail;
let server: Awaited<ReturnType<typeof listen>>;
let ses: SESv2Client;

beforeAll(async () => {
  email = new LocalEmail();
  server = await listen((request, response) => email.handle(request, response), 0);
  ses = new SESv2Client({
    endpoint: server.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  ses?.destroy();
  if (server) await close(server.server);
});

describe('SesMailer through the SES v2 API', () => {
  it("sends a plain-text email from the configured address and returns SES's MessageId", async () => {
    const mailer = new SesMailer(ses, 'orders@shop.example');
    const { messageId } = await mailer.send({
      to: 'ana@example.com',
      subject: 'Your order is confirmed',
      body: 'Olá Ana — thanks!',
      reference: 'o1-2:order-confirmed',
    });
    expect(email.sent()).toEqual([
      expect.objectContaining({
        messageId,
        from: 'orders@shop.example',
        to: ['ana@example.com'],
        subject: 'Your order is confirmed',
        text: 'Olá Ana — thanks!',
        tags: { notification: 'o1-2_order-confirmed' },
      }),
    ]);
  });

  it('turns SES refusing an address into MessageRejected, and nothing is sent', async () => {
    const before = email.sent().length;
    const mailer = new SesMailer(ses, 'orders@shop.example');
    await expect(
      mailer.send({ to: 'not an address', subject: 's', body: 'b', reference: 'r' }),
    ).rejects.toBeInstanceOf(MessageRejected);
    expect(email.sent()).toHaveLength(before);
  });
});
