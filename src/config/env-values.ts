import { accessSync, constants, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

/** What a shape of variables parses to. */
export type ValuesOf<S extends z.ZodRawShape> = z.output<z.ZodObject<S>>;

/** A variable that may be unset; blank counts as unset. */
export const optionalText = z
  .string()
  .optional()
  .transform((v) => v?.trim() || undefined);

/** A file or folder, resolved against the working folder. */
export const optionalPath = optionalText.transform((v) => (v === undefined ? undefined : resolve(v)));

/** A service's base address, `http(s)://host[:port][/path]`, without a trailing slash. */
export const baseUrl = (fallback: string) =>
  optionalText
    .transform((v) => v ?? fallback)
    .refine((v) => /^https?:\/\/[^/\s]+(\/\S*)?$/.test(v), 'must be an http:// or https:// address')
    .transform((v) => v.replace(/\/+$/, ''));

export function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A setting that is wrong, and what is wrong with it. */
export interface SettingIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** Variables that only work together (an app's id and its secret): all of them set, or none. */
export interface Together {
  readonly names: readonly string[];
  /** What needs them, e.g. "SoundCloud". */
  readonly purpose: string;
}

/** An issue for each variable of a group that is missing while others of it are set. */
export function missingTogether(env: NodeJS.ProcessEnv, { names, purpose }: Together): SettingIssue[] {
  const unset = names.filter((name) => !env[name]?.trim());
  if (unset.length === 0 || unset.length === names.length) return [];
  const list = `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return unset.map((name) => ({ path: [name], message: `not set; ${purpose} needs ${list} together (or none of them)` }));
}

/** A connection string as a message may quote it: `scheme://user:***@host/…`. */
function withoutPassword(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/?]*):[^@/?]*@/i, '$1:***@');
}

/**
 * One part per wrong setting: `NAME="value": what is wrong`. A secret's value is never shown, not even
 * in part, and a connection string's password neither; the message says what it must look like instead.
 */
export function describeIssues(issues: readonly SettingIssue[], env: NodeJS.ProcessEnv, secrets: ReadonlySet<string>): string {
  return issues
    .map((issue) => {
      const name = String(issue.path[0]);
      return secrets.has(name) ? `${name}: ${issue.message}` : `${name}=${JSON.stringify(withoutPassword(env[name] ?? ''))}: ${issue.message}`;
    })
    .join('; ');
}
