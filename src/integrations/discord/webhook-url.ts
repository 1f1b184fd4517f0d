import { InvalidInputError } from '../../errors.js';

const HOSTS = new Set(['discord.com', 'discordapp.com', 'ptb.discord.com', 'canary.discord.com', 'ptb.discordapp.com', 'canary.discordapp.com']);
const WHERE = 'copy it from the channel settings: Integrations → Webhooks → Copy Webhook URL';

/** Checks a channel webhook URL (Discord hosts only, https, /api/webhooks/{id}/{token}) and returns its parts. */
export function parseWebhookUrl(url: string): { id: string; token: string } {
  const field = { field: 'webhookUrl' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidInputError(`the webhook URL is not a valid URL; ${WHERE}`, field);
  }
  if (parsed.protocol !== 'https:' || !HOSTS.has(parsed.hostname) || parsed.port || parsed.username) {
    throw new InvalidInputError('only Discord webhook URLs (https://discord.com/api/webhooks/<id>/<token>) are accepted', field);
  }
  const parts = /^\/api(?:\/v\d+)?\/webhooks\/([^/]*)\/([^/]*)\/?$/.exec(parsed.pathname);
  if (!parts) throw new InvalidInputError(`a Discord webhook URL ends in /api/webhooks/<id>/<token>; ${WHERE}`, field);
  const [, id = '', token = ''] = parts;
  // The token is a secret: its length is named, never its text.
  const problems = [
    /^\d{5,25}$/.test(id) ? '' : `the id must be 5–25 digits ('${id.slice(0, 30)}' is not)`,
    /^[\w-]{10,200}$/.test(token)
      ? ''
      : /^[\w-]*$/.test(token)
        ? `the token must be 10–200 characters long (it has ${token.length})`
        : 'the token may hold only letters, digits, _ and -',
  ].filter(Boolean);
  if (problems.length) throw new InvalidInputError(`in the webhook URL (…/webhooks/<id>/<token>) ${problems.join(' and ')}; ${WHERE}`, field);
  return { id, token };
}
