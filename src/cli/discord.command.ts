import { join } from 'node:path';
import { Command } from 'commander';
import { loadConfig, type Config } from '../config/config.js';
import { ContinuoError } from '../errors.js';
import { initBackend } from '../inference/backend.js';
import { modelFolders, readCard } from '../inference/registry.js';
import { ContinuoBot, registerCommands, ServicesBotComposer } from '../bot/index.js';
import { closeOnSignals } from '../jobs/shutdown.js';
import { logger } from '../logger.js';
import { createServices } from '../services/services.js';

/** DISCORD_TOKEN and DISCORD_APPLICATION_ID, or an error naming the missing ones. */
function discordEnv(env: NodeJS.ProcessEnv = process.env): { token: string; applicationId: string } {
  const missing = ['DISCORD_TOKEN', 'DISCORD_APPLICATION_ID'].filter((name) => !env[name]?.trim());
  if (missing.length) {
    throw new ContinuoError('NOT_CONFIGURED', `set ${missing.join(' and ')} (from the Discord developer portal: Bot token, Application ID)`, { missing });
  }
  return { token: env.DISCORD_TOKEN!.trim(), applicationId: env.DISCORD_APPLICATION_ID!.trim() };
}

/** The models' ids and names from their cards, without loading the networks. */
async function modelCards(config: Config): Promise<{ id: string; name: string }[]> {
  const cards = await Promise.all((await modelFolders(config.modelsDir, join(config.dataDir, 'models'))).map(readCard));
  return [...new Map(cards.map((c) => [c.id, { id: c.id, name: c.name }])).values()];
}

export const botCommand = new Command('bot')
  .description('run the Discord bot (/compose, /help); needs DISCORD_TOKEN and DISCORD_APPLICATION_ID')
  .action(async () => {
    const { token } = discordEnv();
    const config = loadConfig();
    logger.level = config.logLevel;
    await initBackend();
    const services = await createServices(config, logger, { runJobs: true });
    const bot = new ContinuoBot({ composer: new ServicesBotComposer(services), log: logger.child({ module: 'discord' }) });
    try {
      await bot.start(token);
    } catch (error) {
      // A rejected token or no network: say so (the CLI prints it and exits 1) with nothing left open.
      await services.close();
      throw error;
    }
    closeOnSignals({
      async close() {
        await bot.close();
        await services.close();
      },
    }, logger);
    process.stderr.write(`Discord bot running as ${bot.client.user?.tag ?? 'unknown'}; stop with Ctrl+C\n`);
  });

export const discordCommand = new Command('discord').description('Discord: register the slash commands');

discordCommand
  .command('register')
  .description('register /compose and /help for the application (globally, or in one guild at once with --guild)')
  .option('--guild <id>', 'register in this guild only (appears instantly; for testing)')
  .action(async (opts: { guild?: string }) => {
    const { token, applicationId } = discordEnv();
    const models = await modelCards(loadConfig());
    const result = await registerCommands({ token, applicationId, models, ...(opts.guild ? { guildId: opts.guild } : {}) });
    process.stdout.write(`Registered ${result.names.map((n) => `/${n}`).join(', ')} ${opts.guild ? `in guild ${opts.guild}` : 'globally (may take up to an hour to appear)'}\n`);
  });
