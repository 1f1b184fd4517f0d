import { NotConfiguredError } from '../errors.js';
import { DISCORD_API, parseWebhookUrl } from '../integrations/discord/index.js';
import { baseUrl, optionalText, type Together, type ValuesOf } from './env-values.js';

export interface DiscordSettings {
  /** The bot's credentials (DISCORD_TOKEN, DISCORD_APPLICATION_ID), where the bot is set up. */
  readonly bot?: { readonly token: string; readonly applicationId: string };
  /** The channel webhook a share goes to when it names none (DISCORD_WEBHOOK_URL). */
  readonly webhookUrl?: string;
  /** Discord's REST base (DISCORD_API_URL): for the bot, the command registration and webhook posts. */
  readonly apiUrl: string;
}

const BOT = ['DISCORD_TOKEN', 'DISCORD_APPLICATION_ID'] as const;
const PORTAL = 'from the Discord developer portal: your application → Bot → Token, and General Information → Application ID';

/** The bot token, and the webhook URL, which carries the webhook's token. */
export const discordSecrets: readonly string[] = ['DISCORD_TOKEN', 'DISCORD_WEBHOOK_URL'];

export const discordVariables = {
  DISCORD_TOKEN: optionalText,
  DISCORD_APPLICATION_ID: optionalText.refine((v) => v === undefined || /^\d{5,25}$/.test(v), `must be the application's id, 5–25 digits (${PORTAL})`),
  DISCORD_WEBHOOK_URL: optionalText.superRefine((v, ctx) => {
    if (v === undefined) return;
    try {
      parseWebhookUrl(v);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  }),
  DISCORD_API_URL: baseUrl(DISCORD_API),
};

export const discordBotTogether: Together = { names: BOT, purpose: 'the Discord bot' };

export function discordSettings(e: ValuesOf<typeof discordVariables>): DiscordSettings {
  return {
    ...(e.DISCORD_TOKEN && e.DISCORD_APPLICATION_ID ? { bot: { token: e.DISCORD_TOKEN, applicationId: e.DISCORD_APPLICATION_ID } } : {}),
    ...(e.DISCORD_WEBHOOK_URL ? { webhookUrl: e.DISCORD_WEBHOOK_URL } : {}),
    apiUrl: e.DISCORD_API_URL,
  };
}

/** The bot's credentials, or NOT_CONFIGURED naming them (`continuo bot`, `continuo discord register`). */
export function discordBot(settings: DiscordSettings): { token: string; applicationId: string } {
  if (!settings.bot) throw new NotConfiguredError(`set ${BOT.join(' and ')} (${PORTAL})`, { missing: [...BOT] });
  return settings.bot;
}
