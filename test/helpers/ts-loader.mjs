// Runs the TypeScript sources in a child process, `node --import ./test/helpers/ts-loader.mjs src/cli/main.ts serve`,
// with decorator metadata (type-graphql needs it; tsx and Node's type stripping do not emit it).
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
