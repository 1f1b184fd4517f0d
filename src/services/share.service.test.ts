import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordFake } from '../../test/fakes/discord-fake.js';
import type { ModelRegistry } from '../inference/registry.js';
import type { SoundCloud } from '../integrations/soundcloud/index.js';
import type { JobQueue } from '../jobs/ports.js';
import { logger } from '../logger.js';
import type { Store } from '../store/ports.js';
import type { ApiKeyRecord, CompositionRecord, ShareRecord, StoredFile } from '../store/records.js';
import type { CompositionService, DeliveryFormat } from './composition.service.js';
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

describe('publishing one variation of a composition', () => {
  const owner = { id: 'key-1', name: 'alice' } as ApiKeyRecord;
  const composition = { id: 'c1', ownerId: owner.id, status: 'done', modelId: 'chorale', bars: 8, variations: 3 } as CompositionRecord;
  /** Each variation's files differ in content and in size (variation v has v + 1 bytes more), as a listener would tell them apart. */
  const bytesOf = (fileId: string): Uint8Array => new TextEncoder().encode(`${fileId}:${'x'.repeat(Number(fileId.split('-').pop()) + 1)}`);
  let discord: DiscordFake;
  let shares: ShareRecord[];
  let asked: { format: DeliveryFormat; variation: number }[];
  let uploads: Parameters<SoundCloud['upload']>[0][];

  function sharing(): ShareService {
    shares = [];
    asked = [];
    uploads = [];
    const store = {
      shares: {
        create: async (r: Omit<ShareRecord, 'id' | 'createdAt' | 'updatedAt'>) => {
          const share = { ...r, id: `s${shares.length + 1}`, createdAt: '', updatedAt: '' } as ShareRecord;
          shares.push(share);
          return share;
        },
        get: async (id: string) => shares.find((s) => s.id === id),
        update: async (id: string, patch: Partial<ShareRecord>) => {
          const i = shares.findIndex((s) => s.id === id);
          shares[i] = { ...shares[i], ...patch };
          return shares[i];
        },
      },
      jobs: { create: async (r: object) => ({ ...r, id: 'j1' }) },
      apiKeys: { get: async () => owner },
      files: { get: async (fileId: string) => ({ data: bytesOf(fileId) }) },
    } as unknown as Store;
    const compositions = {
      get: async () => composition,
      file: async (_owner: ApiKeyRecord, _id: string, format: DeliveryFormat, variation = 0): Promise<StoredFile> => {
        asked.push({ format, variation });
        return { fileId: `${format}-${variation}`, format, contentType: 'application/octet-stream', bytes: 1, variation, durationSeconds: 12 };
      },
    } as unknown as CompositionService;
    const soundcloud = {
      upload: async (o: Parameters<SoundCloud['upload']>[0]) => {
        uploads.push(o);
        return { urn: 'soundcloud:tracks:1', permalinkUrl: 'https://soundcloud.com/a/b', title: o.title, sharing: o.sharing };
      },
    } as unknown as SoundCloud;
    const queue = { enqueue: async () => undefined } as unknown as JobQueue;
    const models = { list: () => [] } as unknown as ModelRegistry;
    return new ShareService(store, queue, compositions, models, soundcloud, { webhookUrl: WEBHOOK, apiUrl: discord.api }, (id, name) => `http://files/${id}/${name}`, logger);
  }

  const job = (shareId: string) => ({ jobId: 'j1', data: { shareId }, signal: new AbortController().signal, updateProgress: async () => undefined }) as never;

  beforeAll(async () => {
    discord = await DiscordFake.start();
  });
  afterAll(async () => {
    await discord?.close();
  });

  it('uploads variation 2 to SoundCloud: its audio and its piano roll', async () => {
    const shares$ = sharing();
    const share = await shares$.request(owner, { compositionId: 'c1', target: 'SOUNDCLOUD', title: 'Take 3', description: '', visibility: 'PUBLIC', variation: 2 });
    expect(share.variation).toBe(2);
    await shares$.run(job(share.id));
    expect(asked).toEqual([{ format: 'flac', variation: 2 }, { format: 'png', variation: 2 }]);
    expect(uploads).toHaveLength(1);
    expect(new TextDecoder().decode(uploads[0].audio.data)).toBe('flac-2:xxx');
    expect(new TextDecoder().decode(uploads[0].artworkPng)).toBe('png-2:xxx');
    expect(shares[0]).toMatchObject({ status: 'done', variation: 2 });
  });

  it('posts variation 2 to Discord: its mp3, MIDI and picture, attached and linked, and says which variation', async () => {
    const shares$ = sharing();
    const share = await shares$.request(owner, { compositionId: 'c1', target: 'DISCORD', title: 'Take 3', description: '', visibility: 'PRIVATE', variation: 2 });
    await shares$.run(job(share.id));
    expect(asked.map((a) => a.variation)).toEqual([2, 2, 2]);
    const post = await discord.waitFor((r) => r.method === 'POST' && r.path.endsWith('/webhooks/123456789012/abcdefghijklmnop'));
    expect(post.files.map((f) => [f.name, f.size])).toEqual([['Take 3.mp3', bytesOf('mp3-2').length], ['Take 3.mid', bytesOf('midi-2').length], ['Take 3.png', bytesOf('png-2').length]]);
    const content = JSON.stringify(post.body);
    expect(content).toContain('[MIDI](http://files/midi-2/Take 3.mid)');
    expect(content).toContain('variation 3 of 3');
  });

  it('publishes the first variation when none is named', async () => {
    const shares$ = sharing();
    const share = await shares$.request(owner, { compositionId: 'c1', target: 'SOUNDCLOUD', title: 'Take 1', description: '', visibility: 'PRIVATE' });
    await shares$.run(job(share.id));
    expect(share.variation).toBe(0);
    expect(asked.map((a) => a.variation)).toEqual([0, 0]);
  });

  it('refuses a variation the composition does not have, naming the ones it has, and records nothing', async () => {
    const shares$ = sharing();
    for (const variation of [3, -1, 1.5]) {
      const refused = shares$.request(owner, { compositionId: 'c1', target: 'SOUNDCLOUD', title: 'Nope', description: '', visibility: 'PRIVATE', variation });
      await expect(refused).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: `variation ${variation} does not exist; composition 'c1' has variations 0 to 2` });
    }
    expect(shares).toEqual([]);
  });
});
