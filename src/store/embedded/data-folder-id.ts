import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const ID_FILE = 'store-id';

/** The id of a data folder (written into it once), so that processes can tell whether they share one. */
export async function dataFolderId(dataDir: string): Promise<string> {
  const file = join(dataDir, ID_FILE);
  try {
    const id = (await readFile(file, 'utf8')).trim();
    if (id) return id;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const id = randomBytes(12).toString('hex');
  await writeFile(file, `${id}\n`, { flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return (await readFile(file, 'utf8')).trim();
}
