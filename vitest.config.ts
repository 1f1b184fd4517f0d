import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // type-graphql (CommonJS) loads graphql's CommonJS build; tests must see the same copy, or graphql
    // finds two realms of its classes.
    alias: { graphql: require.resolve('graphql') },
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['test/helpers/quiet-logger.ts'],
    // TF.js greets a process that first writes to its cpu backend (the kernel tests compare against it)
    // unless PROD is set, as initBackend sets it for the app: the greeting says nothing about a test.
    onConsoleLog: (log) => (log.includes('looks like you are running TensorFlow.js in Node.js') ? false : undefined),
  },
});
