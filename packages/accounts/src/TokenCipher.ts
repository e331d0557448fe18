import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto"
import { InvalidEnv } from "@yavio/domain"
import { Either } from "effect"

/**
 * `ENCRYPTION_KEY` as 32 bytes. Accepted as 64 hex digits or base64/base64url (what
 * `openssl rand -base64 32` prints); anything that does not decode to exactly 32 bytes is
 * refused at start (`YAVIO-7201`) rather than silently stretched or truncated.
 */
export const parseEncryptionKey = (value: string): Either.Either<Buffer, InvalidEnv> => {
  const text = value.trim()
  const key = /^[0-9a-fA-F]{64}$/.test(text)
    ? Buffer.from(text, "hex")
    : /^[A-Za-z0-9+/_-]{43}={0,1}$/.test(text)
      ? Buffer.from(text.replace(/-/g, "+").replace(/_/g, "/"), "base64")
      : undefined
  return key?.length === 32
    ? Either.right(key)
    : Either.left(
        new InvalidEnv({
          detail: "ENCRYPTION_KEY: must be 32 bytes, as base64 or 64 hex digits (openssl rand -base64 32)",
        }),
      )
}

/** Encrypts provider tokens for `oauth_accounts` (dashboard.md §1.5). */
export interface TokenCipher {
  readonly encrypt: (plaintext: string) => string
  /** `undefined` for a value that was not sealed under this key (tampered, or the key changed). */
  readonly decrypt: (sealed: string) => string | undefined
}

// "v1." names the scheme so a later key rotation or algorithm can tell old rows apart.
const PREFIX = "v1."

/**
 * AES-256-GCM with a fresh 12-byte IV per value; stored as `v1.<iv>.<tag>.<ciphertext>`
 * (base64url). GCM's tag makes a modified row fail to decrypt instead of yielding garbage.
 */
export const makeTokenCipher = (key: Buffer): TokenCipher => ({
  encrypt: (plaintext) => {
    const iv = randomBytes(12)
    const cipher = createCipheriv("aes-256-gcm", key, iv)
    const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()])
    return `${PREFIX}${[iv, cipher.getAuthTag(), data].map((b) => b.toString("base64url")).join(".")}`
  },
  decrypt: (sealed) => {
    if (!sealed.startsWith(PREFIX)) return undefined
    const [iv, tag, data] = sealed
      .slice(PREFIX.length)
      .split(".")
      .map((p) => Buffer.from(p, "base64url"))
    if (iv === undefined || tag === undefined || data === undefined) return undefined
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, iv)
      decipher.setAuthTag(tag)
      return Buffer.concat([decipher.update(data), decipher.final()]).toString("utf8")
    } catch {
      return undefined
    }
  },
})
