import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { ConfigError, loadConfig, type Config } from '../config/config.js';
import { logger } from '../logger.js';

/**
 * Where every command starts: the configuration read from the environment and checked (a wrong
 * setting stops the command with one line naming it), and the log level set. A command's output is
 * what it prints, so its logs are warnings and errors unless LOG_LEVEL asks for more; the services
 * (serve, worker, bot) log at info.
 */
export function commandConfig(defaultLogLevel: 'info' | 'warn' = 'warn'): Config {
  const config = loadConfig();
  logger.level = config.logLevel ?? defaultLogLevel;
  return config;
}

/**
 * Commands that keep data check first that they may write DATA_DIR (made if missing): a folder of
 * another user's, such as a bind mount Docker made for root, stops them with one line saying what to do.
 */
export async function checkDataDirWritable(config: Pick<Config, 'dataDir'>): Promise<void> {
  try {
    await mkdir(config.dataDir, { recursive: true });
    await access(config.dataDir, constants.W_OK);
  } catch (error) {
    const user = process.getuid ? `${process.getuid()}:${process.getgid?.()}` : undefined;
    throw new ConfigError(
      `DATA_DIR=${JSON.stringify(config.dataDir)} cannot be written by this process${user ? ` (user ${user})` : ''} (${(error as NodeJS.ErrnoException).code ?? String(error)}): ` +
        `give the folder to that user${user ? ` (chown -R ${user} <folder>; for a Docker bind mount, the folder on the host)` : ''}, or set DATA_DIR to a folder it may write`,
    );
  }
}
