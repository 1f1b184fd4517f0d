import { logger } from '../../src/logger.js';

// Tests assert on results, not on log lines: logs are off unless LOG_LEVEL asks for them. Commands run
// in-process and child processes read the same LOG_LEVEL, so they stay quiet too.
process.env.LOG_LEVEL ??= 'silent';
logger.level = process.env.LOG_LEVEL;
