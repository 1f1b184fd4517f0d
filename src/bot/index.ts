export type { BotComposeRequest, BotComposer, BotComposition } from './bot-composer.js';
export { ServicesBotComposer } from './services-bot-composer.js';
export { ContinuoBot, type BotOptions } from './bot.js';
export { registerCommands, type RegisterOptions } from './register.js';
export { botCommands } from './commands.js';
export { chordBarsIn, looksLikeAbc } from './melody-bars.js';
