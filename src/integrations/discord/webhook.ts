import { WebhookClient } from 'discord.js';
import { InvalidInputError } from '../../errors.js';
import type { BotFile } from './bot-composer.js';
import { DEFAULT_ATTACHMENT_LIMIT, fitFiles, toAttachments } from './attachments.js';

const HOSTS = new Set(['discord.com', 'discordapp.com', 'ptb.discord.com', 'canary.discord.com', 'ptb.discordapp.com', 'canary.discordapp.com']);

/** Checks a channel webhook URL (Discord hosts only, https, /api/webhooks/{id}/{token}) and returns its parts. */
export function parseWebhookUrl(url: string): { id: string; token: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidInputError('the webhook URL is not a valid URL', { field: 'webhookUrl' });
  }
  const match = /^\/api(?:\/v\d+)?\/webhooks\/(\d{5,25})\/([\w-]{10,200})\/?$/.exec(parsed.pathname);
  if (parsed.protocol !== 'https:' || !HOSTS.has(parsed.hostname) || parsed.port || parsed.username || !match) {
    throw new InvalidInputError('only Discord webhook URLs (https://discord.com/api/webhooks/<id>/<token>) are accepted', { field: 'webhookUrl' });
  }
  return { id: match[1]!, token: match[2]! };
}

export interface WebhookPost {
  readonly content: string;
  readonly files: readonly BotFile[];
}

/**
 * Posts to a channel webhook. Files over 10 MiB, or together over 10 MiB, are left out largest first
 * (audio before the MIDI and the picture), and the message says so.
 */
export async function postToWebhook(url: string, post: WebhookPost, options: { api?: string } = {}): Promise<{ messageId: string; sent: string[]; dropped: string[] }> {
  const { id, token } = parseWebhookUrl(url);
  const client = new WebhookClient({ id, token }, options.api ? { rest: { api: options.api } } : {});
  try {
    const { files, dropped } = fitFiles(post.files, DEFAULT_ATTACHMENT_LIMIT, DEFAULT_ATTACHMENT_LIMIT);
    const note = dropped.length ? `\n(${dropped.map((f) => f.name).join(', ')} left out: too large for Discord)` : '';
    const message = await client.send({ content: `${post.content}${note}`.slice(0, 2000), files: toAttachments(files) });
    return { messageId: message.id, sent: files.map((f) => f.name), dropped: dropped.map((f) => f.name) };
  } finally {
    client.destroy();
  }
}
