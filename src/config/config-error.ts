/** A setting that is missing or wrong: the process stops at start-up with this one line. */
export class ConfigError extends Error {}
