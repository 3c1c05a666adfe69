import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// Their deliver() adapter turns transport errors into a SendResult.
export async function run({ workerDir, serverUrl, campaign, recipients, mailer }) {
  const { processCampaign } = await import(pathToFileURL(join(workerDir, 'src/processCampaign.ts')).href);
  const deliver = async (recipient) => {
    try {
      const info = await mailer.sendMail({
        from: campaign.from,
        to: recipient.email,
        subject: campaign.subject,
        text: campaign.body,
      });
      return { kind: 'ok', messageId: info.messageId };
    } catch (error) {
      return error.responseCode >= 500
        ? { kind: 'bounce', reason: error.message }
        : { kind: 'error', reason: error.message };
    }
  };
  return processCampaign(serverUrl, campaign, recipients, deliver);
}
