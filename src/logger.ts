import { pino, type Logger } from 'pino';

/** The one logger; modules take a child (`logger.child({ module: 'inference' })`). Logs go to stderr. */
export const logger: Logger = pino(
  { level: process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'), base: { service: 'continuo' } },
  pino.destination(2),
);

export type { Logger };
