import { pino, type Logger } from 'pino';

/**
 * The one logger; modules take a child (`logger.child({ module: 'inference' })`), which follows its
 * level. Logs go to stderr. Entry points set the level from LOG_LEVEL once the configuration is read.
 */
export const logger: Logger = pino({ level: 'info', base: { service: 'continuo' } }, pino.destination(2));

export type { Logger };
