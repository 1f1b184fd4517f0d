import { loadConfig, type Config } from '../config/config.js';
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
