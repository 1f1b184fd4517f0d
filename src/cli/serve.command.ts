import { Command } from 'commander';
import { ConfigError } from '../config/config.js';
import { ContinuoError } from '../errors.js';
import { initBackend } from '../inference/backend.js';
import { startServer } from '../graphql/server.js';
import { closeOnSignals } from '../jobs/shutdown.js';
import { logger } from '../logger.js';
import { createServices } from '../services/services.js';
import { checkDataDirWritable, commandConfig } from './command-config.js';
import { studioUrl } from './studio-url.js';

/**
 * `--no-jobs` leaves jobs to `continuo worker` processes, which need Redis to take them from and a
 * shared database (PostgreSQL or MongoDB) to write results where this server reads them: without both,
 * queued work would never run.
 */
export function checkNoJobs(jobs: boolean, config: { redisUrl?: string; databaseUrl?: string; mongodbUri?: string }): void {
  if (jobs) return;
  if (!config.redisUrl) throw new ConfigError('--no-jobs leaves jobs to `continuo worker` processes on Redis: set REDIS_URL (and DATABASE_URL), or drop --no-jobs');
  if (!config.databaseUrl && !config.mongodbUri) {
    throw new ConfigError(
      '--no-jobs with the embedded store: no worker can read this data folder, so queued work would never run — set DATABASE_URL (PostgreSQL) for server and workers, or set MONGODB_URI, or drop --no-jobs',
    );
  }
}

export const serveCommand = new Command('serve')
  .description('run the GraphQL service (embedded store and in-process jobs unless DATABASE_URL or MONGODB_URI / REDIS_URL are set)')
  .option('--no-jobs', 'do not run jobs here (with REDIS_URL: leave them to `continuo worker` processes)')
  .action(async (opts: { jobs: boolean }) => {
    const config = commandConfig('info');
    checkNoJobs(opts.jobs, config);
    await checkDataDirWritable(config);
    const backend = await initBackend(config.backend);
    const services = await createServices(config, logger, { runJobs: opts.jobs || !config.redisUrl });
    const localKey = await services.keys.ensureLocalKey(config.dataDir, logger);
    const server = await startServer(services, { host: config.host, port: config.port });
    // The studio's address carries the local key in the fragment, which the browser never sends.
    const studio = studioUrl(server.url, localKey);
    logger.info(
      {
        url: `${server.url}/graphql`, backend: backend.name, store: services.store.kind, queue: services.queue.kind,
        models: services.models.ids(), keyFile: localKey ? `${config.dataDir}/api-key` : undefined, studio,
      },
      'Continuo is serving',
    );
    process.stdout.write(`Continuo is serving: the studio at ${studio} and GraphQL at ${server.url}/graphql (stop with Ctrl+C)\n`);
    // With Discord credentials the bot runs in this process too, on the same services and store.
    let bot: { close(): Promise<void> } | undefined;
    if (config.discord.bot) {
      const { ContinuoBot, ServicesBotComposer } = await import('../bot/index.js');
      const discord = new ContinuoBot({ composer: new ServicesBotComposer(services), log: logger.child({ module: 'discord' }), api: config.discord.apiUrl });
      try {
        await discord.start(config.discord.bot.token);
        bot = discord;
        logger.info({ user: discord.client.user?.tag }, 'Discord bot running');
      } catch (error) {
        // The service is what was asked for; a bot that cannot log in must not take it down.
        const message = error instanceof ContinuoError ? `${error.code}: ${error.message}` : String(error);
        process.stderr.write(`continuo: the Discord bot did not start (${message}); serving without it\n`);
      }
    }
    closeOnSignals({
      async close() {
        await bot?.close();
        await server.close();
        await services.close();
      },
    }, logger);
  });

export const workerCommand = new Command('worker')
  .description('run composition and training jobs from the Redis queue (REDIS_URL) — on any machine, e.g. with a GPU')
  .action(async () => {
    const config = commandConfig('info');
    if (!config.redisUrl || (!config.databaseUrl && !config.mongodbUri)) {
      // The embedded store belongs to one process: a worker must share the server's database.
      throw new ConfigError(
        'a worker takes jobs from Redis and writes results where the server reads them: set REDIS_URL, and DATABASE_URL (PostgreSQL) or MONGODB_URI as the server has it',
      );
    }
    await checkDataDirWritable(config);
    const backend = await initBackend(config.backend);
    const services = await createServices(config, logger, { runJobs: true });
    logger.info({ backend: backend.name, store: services.store.kind, models: services.models.ids() }, 'worker waiting for jobs');
    closeOnSignals(services, logger);
  });
