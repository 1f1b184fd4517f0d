export type { DiscordFile } from './discord-file.js';
export { DEFAULT_ATTACHMENT_LIMIT, fitFiles, type FittedFiles } from './fit-files.js';
export { parseWebhookUrl } from './webhook-url.js';
export { DISCORD_API, postToWebhook, WEBHOOK_TIMEOUT_MS, type WebhookPost } from './webhook.js';
