/**
 * Secrets at rest: webhook secrets and channel URLs are stored encrypted with AES-256-GCM under a
 * key from configuration (THROUGHLINE_SECRET_KEY), or — when that is unset — a key generated on
 * first start into the data folder (`secret.key`, mode 0600). Someone holding only the database
 * (or a backup of it) cannot read or use them.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { nodeCrypto } from "./builtins.js";

/** The environment variable holding the key (32 bytes, base64 or hex). */
export const SECRET_KEY_ENV = "THROUGHLINE_SECRET_KEY";

/** The key file's name in the data folder. */
export const SECRET_KEY_FILE = "secret.key";

/** What a sealed value starts with (version 1: AES-256-GCM, 12-byte nonce, 16-byte tag). */
export const SEALED_PREFIX = "tl1:";

/** Encrypts and decrypts short secrets under one key. */
export interface SecretBox {
  /** Encrypts `plain`, bound to `purpose` (e.g. "webhooks.url"), as `tl1:` + base64url. */
  seal(plain: string, purpose: string): string;
  /** Decrypts a sealed value; a value that was never sealed (older rows) is returned as it is. */
  open(stored: string, purpose: string): string;
  /** Where the key came from, for messages. */
  source: string;
}

/** True when a stored value is sealed. */
export function isSealed(stored: string): boolean {
  return stored.startsWith(SEALED_PREFIX);
}

/** Reads a key written as base64 (44 characters) or hex (64), or null when it is neither. */
export function parseKey(text: string): Buffer | null {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, "hex");
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) {
    const b = Buffer.from(t.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    return b.length === 32 ? b : null;
  }
  return null;
}

/** How to fix a bad key, for messages. */
export const KEY_HINT = `Set ${SECRET_KEY_ENV} to 32 random bytes in base64, e.g. the output of: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`;

/** A box over a 32-byte key. */
export function secretBox(key: Buffer, source: string): SecretBox {
  if (key.length !== 32) throw new Error(`The secret key must be 32 bytes. ${KEY_HINT}`);
  return {
    source,
    seal(plain, purpose) {
      const { createCipheriv, randomBytes } = nodeCrypto();
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(purpose, "utf8"));
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return `${SEALED_PREFIX}${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url")}`;
    },
    open(stored, purpose) {
      if (!isSealed(stored)) return stored;
      const raw = Buffer.from(stored.slice(SEALED_PREFIX.length), "base64url");
      const decipher = nodeCrypto().createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(purpose, "utf8"));
      decipher.setAuthTag(raw.subarray(12, 28));
      try {
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
      } catch {
        throw new Error(
          `A stored ${purpose} cannot be decrypted with the secret key from ${source}: the key is not the one it was stored with. Restore that key (${SECRET_KEY_ENV} or ${SECRET_KEY_FILE} in the data folder).`,
        );
      }
    },
  };
}

/**
 * The secret box of an instance: the key in THROUGHLINE_SECRET_KEY when set; else the data
 * folder's `secret.key`, made (32 random bytes, base64, mode 0600) on first start when missing.
 * Several instances on one PostgreSQL database must share one key: set THROUGHLINE_SECRET_KEY.
 */
export function loadSecretBox(
  dataDir: string,
  env: Record<string, string | undefined> = process.env,
): SecretBox {
  const fromEnv = env[SECRET_KEY_ENV]?.trim();
  if (fromEnv) {
    const key = parseKey(fromEnv);
    if (!key) throw new Error(`${SECRET_KEY_ENV} is not a 32-byte key. ${KEY_HINT}`);
    return secretBox(key, SECRET_KEY_ENV);
  }
  const file = join(dataDir, SECRET_KEY_FILE);
  mkdirSync(dataDir, { recursive: true });
  // Only a missing key is made: the random bytes need node:crypto, which opening need not load.
  if (!existsSync(file)) {
    try {
      // "wx": when two processes start at once, only one writes; the other reads its key below.
      writeFileSync(file, `${nodeCrypto().randomBytes(32).toString("base64")}\n`, {
        mode: 0o600,
        flag: "wx",
      });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
  chmodSync(file, 0o600);
  const key = parseKey(readFileSync(file, "utf8"));
  if (!key) throw new Error(`${file} does not hold a 32-byte key. ${KEY_HINT}`);
  return secretBox(key, file);
}
