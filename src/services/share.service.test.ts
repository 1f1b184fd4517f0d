import { describe, expect, it } from 'vitest';
import type { SoundCloud } from '../integrations/soundcloud/index.js';
import { logger } from '../logger.js';
import { ShareService } from './share.service.js';

const WEBHOOK = 'https://discord.com/api/webhooks/123456789012/abcdefghijklmnop';

/** A share service with only what `targets` reads: whether SoundCloud is set up and Discord's default webhook. */
function service(soundcloud: boolean, webhookUrl?: string): ShareService {
  const unused = undefined as never;
  return new ShareService(unused, unused, unused, unused, soundcloud ? ({} as SoundCloud) : undefined, { webhookUrl, apiUrl: 'https://discord.com/api' }, () => '', logger);
}

describe('where a server can publish', () => {
  it('names SoundCloud once its app is set up and Discord once a default channel webhook is', () => {
    expect(service(false).targets()).toEqual([]);
    expect(service(true).targets()).toEqual(['SOUNDCLOUD']);
    expect(service(false, WEBHOOK).targets()).toEqual(['DISCORD']);
    expect(service(true, WEBHOOK).targets()).toEqual(['SOUNDCLOUD', 'DISCORD']);
  });
});
