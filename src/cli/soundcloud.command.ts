import { Command } from 'commander';
import { soundCloudNotConfigured } from '../config/soundcloud-settings.js';
import { SoundCloud, type SoundCloudAccount } from '../integrations/soundcloud/index.js';
import { commandConfig } from './command-config.js';
import { number } from './options.js';

function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return [h ? `${h} h` : '', m ? `${m} min` : '', !h && s ? `${s} s` : ''].filter(Boolean).join(' ') || '0 s';
}

function describe(account: SoundCloudAccount): string {
  const { quota } = account;
  const left = quota.unlimited ? 'unlimited' : quota.uploadSecondsLeft === null ? 'not reported by SoundCloud' : `${duration(quota.uploadSecondsLeft)} (${quota.uploadSecondsLeft} s)`;
  return [
    `account:          ${account.username}${account.fullName ? ` (${account.fullName})` : ''}`,
    `urn:              ${account.urn}`,
    account.permalinkUrl ? `page:             ${account.permalinkUrl}` : '',
    account.plan ? `plan:             ${account.plan}` : '',
    `upload time left: ${left}`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** The SoundCloud client of this configuration; NOT_CONFIGURED, naming what to set, where it has none. */
function soundCloud(): SoundCloud {
  const { soundcloud } = commandConfig();
  if (!soundcloud) throw soundCloudNotConfigured();
  return new SoundCloud(soundcloud);
}

export const soundcloudCommand = new Command('soundcloud').description('publish to SoundCloud: log in once, check the account');

soundcloudCommand
  .command('login')
  .description("let Continuo upload to your SoundCloud account, once: prints the consent page's address to open in a browser, then waits for SoundCloud to send the browser back")
  .option('--timeout <seconds>', 'how long to wait for the consent in the browser', number, 300)
  .action(async (opts: { timeout: number }) => {
    const soundcloud = soundCloud();
    const account = await soundcloud.login({
      timeoutMs: opts.timeout * 1000,
      onAuthorizeUrl: (url) => {
        process.stdout.write(`Open this address in a browser and allow access:\n\n  ${url}\n\n`);
        process.stderr.write(`waiting for the browser on ${soundcloud.config.redirectUri} …\n`);
      },
    });
    process.stdout.write(`Logged in to SoundCloud as ${account.username}; tokens are stored encrypted in ${soundcloud.config.tokenFile}\n`);
  });

soundcloudCommand
  .command('whoami')
  .description('show the SoundCloud account Continuo uploads to and its upload time left')
  .action(async () => {
    const account = await soundCloud().account();
    process.stdout.write(`${describe(account)}\n`);
  });

soundcloudCommand
  .command('logout')
  .description('delete the stored SoundCloud tokens (revoke the app on soundcloud.com to end its access there too)')
  .action(async () => {
    const soundcloud = soundCloud();
    await soundcloud.logout();
    process.stdout.write(`SoundCloud tokens deleted from ${soundcloud.config.tokenFile}\n`);
  });
