import { InvalidInputError } from '../../errors.js';

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
