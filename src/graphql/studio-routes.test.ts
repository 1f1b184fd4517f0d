import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { studioRoutes } from './studio-routes.js';

describe('the studio sound bank', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'continuo-studio-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("is the renderer's: the configured one (CONTINUO_SOUNDFONT), so the page plays what the server renders", async () => {
    const bank = join(dir, 'own.sf2');
    await writeFile(bank, 'RIFF-own-bank');
    const route = studioRoutes({ dir, soundfontPath: bank });
    const server = createServer((req, res) => {
      if (!route(req, res, new URL(req.url ?? '/', 'http://localhost'))) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const answer = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/studio/soundfont`);
      expect(answer.status).toBe(200);
      expect(await answer.text()).toBe('RIFF-own-bank');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
