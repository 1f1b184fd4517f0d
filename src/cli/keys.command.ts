import { Command } from 'commander';
import { createStore } from '../store/index.js';
import { ApiKeyService } from '../services/api-key.service.js';
import { commandConfig } from './command-config.js';
import { number } from './options.js';
import { NotFoundError } from '../errors.js';

async function withKeys<T>(fn: (keys: ApiKeyService, store: Awaited<ReturnType<typeof createStore>>) => Promise<T>): Promise<T> {
  const config = commandConfig();
  const store = await createStore(config);
  try {
    return await fn(new ApiKeyService(store.apiKeys, config.quota.compositions), store);
  } finally {
    await store.close();
  }
}

export const keysCommand = new Command('keys').description('API keys: create, list, revoke');

keysCommand
  .command('create')
  .description('create an API key and print its secret (shown only this once)')
  .argument('<name>', 'who or what the key is for')
  .option('--quota <n>', 'composition jobs per quota period (default QUOTA_COMPOSITIONS)', number)
  .option('--unlimited', 'no quota')
  .action(async (name: string, opts: { quota?: number; unlimited?: boolean }) => {
    await withKeys(async (keys) => {
      const { key, secret } = await keys.create(name, opts.unlimited ? null : opts.quota);
      process.stdout.write(`${secret}\n`);
      process.stderr.write(`key ${key.id} '${key.name}' created, quota ${key.quota ?? 'unlimited'}; send it as "Authorization: Bearer <key>"\n`);
    });
  });

keysCommand
  .command('list')
  .description('list API keys (never their secrets)')
  .action(async () => {
    await withKeys(async (_keys, store) => {
      for (const k of await store.apiKeys.list()) {
        process.stdout.write(`${k.id}\t${k.prefix}…\t${k.name}\tquota ${k.quota ?? 'unlimited'}\t${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}\n`);
      }
    });
  });

keysCommand
  .command('revoke')
  .argument('<id>', 'key id (from `continuo keys list`)')
  .action(async (id: string) => {
    await withKeys(async (_keys, store) => {
      const key = await store.apiKeys.revoke(id);
      if (!key) throw new NotFoundError('API key', id, 'see `continuo keys list`');
      process.stdout.write(`revoked ${key.id} '${key.name}'\n`);
    });
  });
