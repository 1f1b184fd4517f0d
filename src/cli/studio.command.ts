import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { commandConfig } from './command-config.js';
import { serveCommand } from './serve.command.js';
import { localBase, studioUrl } from './studio-url.js';

/** Whether a Continuo service answers there (its /healthz), within a second. */
export async function serviceAnswers(base: string): Promise<boolean> {
  try {
    const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) });
    const body = (await res.json()) as { status?: unknown };
    return res.ok && body.status === 'ok';
  } catch {
    return false;
  }
}

/** The local key that `serve` wrote to DATA_DIR/api-key when it made the first key, if it is there. */
async function localKey(dataDir: string): Promise<string | undefined> {
  try {
    return (await readFile(join(dataDir, 'api-key'), 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Opens an address in the desktop's browser; nothing happens where there is none. */
function openInBrowser(url: string): void {
  const [command, ...args] = process.platform === 'darwin' ? ['open'] : process.platform === 'win32' ? ['cmd', '/c', 'start', '""'] : ['xdg-open'];
  try {
    const child = spawn(command, [...args, url], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No opener: the address is printed all the same.
  }
}

export const studioCommand = new Command('studio')
  .description('print the studio\'s address with the local API key, starting the service first if none answers on HOST:PORT')
  .option('--open', 'also open it in the browser')
  .action(async (opts: { open?: boolean }) => {
    const config = commandConfig();
    const base = localBase(config);
    if (!(await serviceAnswers(base))) {
      // Nothing serves here yet: serve in this process, which prints the studio's address with the key.
      process.stderr.write(`continuo: no service answers at ${base}; starting one (stop it with Ctrl+C)\n`);
      if (opts.open) {
        const opened = setInterval(async () => {
          if (!(await serviceAnswers(base))) return;
          clearInterval(opened);
          openInBrowser(studioUrl(base, await localKey(config.dataDir)));
        }, 500);
        opened.unref();
      }
      await serveCommand.parseAsync([], { from: 'user' });
      return;
    }
    const key = await localKey(config.dataDir);
    const url = studioUrl(base, key);
    process.stdout.write(`Continuo Studio: ${url}\n`);
    if (!key) {
      process.stderr.write(`continuo: no local key in ${join(config.dataDir, 'api-key')} (the service keeps its keys elsewhere, or DATA_DIR differs); make one with \`continuo keys create <name>\` and paste it in the page\n`);
    }
    if (opts.open) openInBrowser(url);
  });
