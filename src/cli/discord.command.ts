import { Command } from 'commander';
import type { Config } from '../config/config.js';
import { discordBot } from '../config/discord-settings.js';
import { userModelsDir } from '../config/paths.js';
import { initBackend } from '../inference/backend.js';
import { modelFolders, readCard } from '../inference/registry.js';
import { ContinuoBot, registerCommands, ServicesBotComposer } from '../bot/index.js';
import { closeOnSignals } from '../jobs/shutdown.js';
import { logger } from '../logger.js';
import { createServices } from '../services/services.js';
import { checkDataDirWritable, commandConfig } from './command-config.js';

/** The models' ids and names from their cards, without loading the networks. */
async function modelCards(config: Config): Promise<{ id: string; name: string }[]> {
  const cards = await Promise.all((await modelFolders(config.modelsDir, userModelsDir(config.dataDir))).map(readCard));
  return [...new Map(cards.map((c) => [c.id, { id: c.id, name: c.name }])).values()];
}

export const botCommand = new Command('bot')
  .description('run the Discord bot (/compose, /help); needs DISCORD_TOKEN and DISCORD_APPLICATION_ID')
  .action(async () => {
    const config = commandConfig('info');
    const { token } = discordBot(config.discord);
    await checkDataDirWritable(config);
    await initBackend(config.backend);
    const services = await createServices(config, logger, { runJobs: true });
    const bot = new ContinuoBot({ composer: new ServicesBotComposer(services), log: logger.child({ module: 'discord' }), api: config.discord.apiUrl });
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
    const config = commandConfig();
    const { token, applicationId } = discordBot(config.discord);
    const models = await modelCards(config);
    const result = await registerCommands({ token, applicationId, models, api: config.discord.apiUrl, ...(opts.guild ? { guildId: opts.guild } : {}) });
    process.stdout.write(`Registered ${result.names.map((n) => `/${n}`).join(', ')} ${opts.guild ? `in guild ${opts.guild}` : 'globally (may take up to an hour to appear)'}\n`);
  });
