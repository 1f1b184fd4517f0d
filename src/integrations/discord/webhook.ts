import { ContinuoError } from '../../errors.js';
import { noAnswerProblem, unreachable } from '../../network-failure.js';
import type { DiscordFile } from './discord-file.js';
import { DEFAULT_ATTACHMENT_LIMIT, fitFiles } from './fit-files.js';
import { parseWebhookUrl } from './webhook-url.js';

export interface WebhookPost {
  readonly content: string;
  readonly files: readonly DiscordFile[];
}

/** Discord's REST base (DISCORD_API_URL points elsewhere: a stand-in for tests). */
export const DISCORD_API = 'https://discord.com/api';
/** Longest a webhook post may take, answer included: a hung post must not hold a share slot. */
export const WEBHOOK_TIMEOUT_MS = 15_000;

/**
 * Posts to a channel webhook (`POST /webhooks/{id}/{token}?wait=true`, multipart `payload_json` +
 * `files[n]`). Plain fetch: the server does not need discord.js's client machinery for one request.
 * Files over 10 MiB, or together over 10 MiB, are left out largest first and the message says so.
 */
export async function postToWebhook(
  url: string,
  post: WebhookPost,
  options: { api?: string; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<{ messageId: string; sent: string[]; dropped: string[] }> {
  const { id, token } = parseWebhookUrl(url);
  const { files, dropped } = fitFiles(post.files, DEFAULT_ATTACHMENT_LIMIT, DEFAULT_ATTACHMENT_LIMIT);
  const note = dropped.length ? `\n(${dropped.map((f) => f.name).join(', ')} left out: too large for Discord)` : '';
  const form = new FormData();
  form.set('payload_json', JSON.stringify({
    content: `${post.content}${note}`.slice(0, 2000),
    attachments: files.map((f, i) => ({ id: i, filename: f.name })),
  }));
  files.forEach((f, i) => form.set(`files[${i}]`, new Blob([f.data], { type: f.contentType }), f.name));
  const base = (options.api ?? DISCORD_API).replace(/\/$/, '');
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  let res: Response;
  let text: string;
  try {
    res = await fetch(`${base}/v10/webhooks/${id}/${token}?wait=true`, { method: 'POST', body: form, signal });
    text = await res.text();
  } catch (error) {
    if (timeout.aborted) {
      throw new ContinuoError('UNAVAILABLE', `Discord did not answer the webhook post within ${timeoutMs / 1000} s; try sharing again later`, { retryAfterSeconds: 60 });
    }
    if (options.signal?.aborted) throw error;
    throw unreachable('Discord', base, noAnswerProblem(error), 'post to the channel webhook', 'share again');
  }
  if (!res.ok) {
    const reason = (() => {
      try {
        return (JSON.parse(text) as { message?: string }).message ?? text.slice(0, 200);
      } catch {
        return text.slice(0, 200);
      }
    })();
    const code = res.status === 404 || res.status === 401 ? 'BAD_USER_INPUT' : res.status === 429 ? 'RATE_LIMITED' : 'INTERNAL';
    throw new ContinuoError(code, `Discord refused the webhook post (${res.status}: ${reason}); check the webhook URL or try again later`);
  }
  const message = JSON.parse(text) as { id: string };
  return { messageId: message.id, sent: files.map((f) => f.name), dropped: dropped.map((f) => f.name) };
}
