import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { ContinuoError, NotConfiguredError } from '../../errors.js';
import { LOGIN_AGAIN } from './http-failure.js';

/** The tokens of one SoundCloud account. */
export interface StoredTokens {
  readonly accessToken: string;
  /** Single-use: each refresh returns the next one. */
  readonly refreshToken: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  readonly scope?: string;
}

const tokensSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  expiresAt: z.number(),
  scope: z.string().optional(),
});

const fileSchema = z.object({
  version: z.literal(1),
  algorithm: z.literal('aes-256-gcm'),
  iv: z.string(),
  tag: z.string(),
  ciphertext: z.string(),
});

// Binds the ciphertext to its purpose, so a blob made for something else never decrypts as tokens.
const AAD = Buffer.from('continuo:soundcloud-tokens:v1');

/**
 * SoundCloud tokens on disk, encrypted with AES-256-GCM under SOUNDCLOUD_TOKEN_KEY. Writes go to a
 * temporary file that is synced and renamed over the old one, so a crash leaves the old or the new pair,
 * never half of one: losing a just-rotated refresh token would force a new login.
 */
export class EncryptedTokenStore {
  constructor(
    readonly file: string,
    private readonly key: Buffer,
  ) {
    if (key.length !== 32) throw new NotConfiguredError('SOUNDCLOUD_TOKEN_KEY must be 32 bytes (64 hex digits or base64)');
  }

  /** The stored tokens, or null when nobody has logged in yet. */
  async load(): Promise<StoredTokens | null> {
    let raw: string;
    try {
      raw = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    let envelope: z.infer<typeof fileSchema>;
    try {
      envelope = fileSchema.parse(JSON.parse(raw));
    } catch {
      throw new NotConfiguredError(`the SoundCloud token file ${this.file} is damaged; delete it and ${LOGIN_AGAIN}`, { file: this.file });
    }
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(envelope.iv, 'base64'));
      decipher.setAAD(AAD);
      decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
      plain = Buffer.concat([decipher.update(Buffer.from(envelope.ciphertext, 'base64')), decipher.final()]);
    } catch {
      throw new ContinuoError(
        'NOT_CONFIGURED',
        `the SoundCloud token file ${this.file} cannot be decrypted with SOUNDCLOUD_TOKEN_KEY: the key is not the one it was written with, ` +
          `or the file was altered; set the original key, or delete the file and ${LOGIN_AGAIN}`,
        { file: this.file },
      );
    }
    const parsed = tokensSchema.safeParse(JSON.parse(plain.toString('utf8')));
    if (!parsed.success) throw new NotConfiguredError(`the SoundCloud token file ${this.file} holds no usable tokens; ${LOGIN_AGAIN}`);
    return parsed.data;
  }

  /** Resolves only once the tokens are on disk (file and folder synced). */
  async save(tokens: StoredTokens): Promise<void> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(AAD);
    const plain = Buffer.from(JSON.stringify(tokensSchema.parse(tokens)), 'utf8');
    const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
    const envelope = {
      version: 1,
      algorithm: 'aes-256-gcm',
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      ciphertext: ciphertext.toString('base64'),
    };
    const dir = dirname(this.file);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const temp = join(dir, `.${basename(this.file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(envelope, null, 2)}\n`);
      await handle.chmod(0o600);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temp, { force: true });
      throw error;
    }
    await handle.close();
    try {
      await rename(temp, this.file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    await syncFolder(dir);
  }

  async clear(): Promise<void> {
    await rm(this.file, { force: true });
  }
}

/** Makes the rename itself durable; some platforms cannot open folders, and there it is skipped. */
async function syncFolder(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort: the file's own data is already synced
  } finally {
    await handle?.close();
  }
}
