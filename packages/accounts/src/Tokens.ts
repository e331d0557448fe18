import { createHash, createHmac, randomBytes } from "node:crypto"

/** 32 random bytes, URL-safe: session cookies and every emailed link token. */
export const randomToken = (): string => randomBytes(32).toString("base64url")

/**
 * Session tokens are stored as plain SHA-256 (dashboard.md §1.3): they carry 256 random bits,
 * so no secret or slow hash is needed to make a leaked table useless.
 */
export const sha256Hex = (token: string): string => createHash("sha256").update(token).digest("hex")

/**
 * Emailed tokens (verification, reset, unlock, invitation) are stored as
 * HMAC-SHA256(API_KEY_HASH_SECRET, token), the scheme of API keys (dashboard.md §1.2).
 */
export const hmacHex = (secret: string, token: string): string =>
  createHmac("sha256", secret).update(token).digest("hex")
