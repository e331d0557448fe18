import { randomBytes, scrypt, timingSafeEqual } from "node:crypto"
import { Context, Effect, Layer } from "effect"

/**
 * scrypt cost. The spec's parameters (dashboard.md §1.1): N = 2^17, r = 8, p = 1, a 16-byte salt
 * and a 64-byte key: 128 MiB and roughly 0.3 s per hash on this machine.
 */
export interface ScryptCost {
  readonly logN: number
  readonly r: number
  readonly p: number
}

export const strongCost: ScryptCost = { logN: 17, r: 8, p: 1 }

const KEY_LENGTH = 64
const SALT_LENGTH = 16
// Stored hashes name their own cost; bounds keep a corrupt row from allocating gigabytes.
const MAX_LOG_N = 20
const MAX_R = 16
const MAX_P = 4

const derive = (password: string, salt: Buffer, n: number, r: number, p: number, length: number) =>
  Effect.async<Buffer, Error>((resume) => {
    scrypt(password, salt, length, { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 }, (error, key) =>
      resume(error ? Effect.fail(error) : Effect.succeed(key)),
    )
  })

interface Parsed {
  readonly n: number
  readonly r: number
  readonly p: number
  readonly salt: Buffer
  readonly hash: Buffer
}

/**
 * `scrypt$N$r$p$salt$hash` (base64url): the format apps/server writes for the local admin, so
 * both verify each other's hashes; a self-describing string lets the cost be raised later.
 */
const parse = (stored: string): Parsed | undefined => {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split("$")
  if (scheme !== "scrypt" || salt === undefined || hash === undefined || rest.length > 0) return undefined
  const parsed = { n: Number(n), r: Number(r), p: Number(p) }
  const logN = Math.log2(parsed.n)
  if (!Number.isInteger(logN) || logN < 10 || logN > MAX_LOG_N) return undefined
  if (!Number.isInteger(parsed.r) || parsed.r < 1 || parsed.r > MAX_R) return undefined
  if (!Number.isInteger(parsed.p) || parsed.p < 1 || parsed.p > MAX_P) return undefined
  const hashBytes = Buffer.from(hash, "base64url")
  if (hashBytes.length < 32) return undefined
  return { ...parsed, salt: Buffer.from(salt, "base64url"), hash: hashBytes }
}

/**
 * Password hashing with `node:crypto` scrypt, compared in constant time. `dummyVerify` spends
 * the same work on a hash of nothing, so an unknown email answers as slowly as a wrong
 * password (dashboard.md §1.1).
 */
export class PasswordHasher extends Context.Tag("@yavio/accounts/PasswordHasher")<
  PasswordHasher,
  {
    readonly hash: (password: string) => Effect.Effect<string>
    readonly verify: (password: string, stored: string) => Effect.Effect<boolean>
    readonly dummyVerify: (password: string) => Effect.Effect<void>
  }
>() {
  static readonly make = (cost: ScryptCost) =>
    Effect.gen(function* () {
      const n = 2 ** cost.logN
      const hash = (password: string) =>
        Effect.gen(function* () {
          const salt = randomBytes(SALT_LENGTH)
          const key = yield* derive(password, salt, n, cost.r, cost.p, KEY_LENGTH)
          return `scrypt$${n}$${cost.r}$${cost.p}$${salt.toString("base64url")}$${key.toString("base64url")}`
        }).pipe(Effect.orDie)

      const verify = (password: string, stored: string) =>
        Effect.suspend(() => {
          const parsed = parse(stored)
          if (parsed === undefined) return Effect.succeed(false)
          return derive(password, parsed.salt, parsed.n, parsed.r, parsed.p, parsed.hash.length).pipe(
            Effect.map((key) => timingSafeEqual(key, parsed.hash)),
            Effect.orDie,
          )
        })

      const dummy = yield* hash(randomBytes(16).toString("base64url"))
      const dummyVerify = (password: string) => Effect.asVoid(verify(password, dummy))

      return PasswordHasher.of({ hash, verify, dummyVerify })
    })

  /** The production cost. */
  static readonly layer = Layer.effect(this, this.make(strongCost))

  /** A chosen cost: tests that log in hundreds of times use a cheaper one. */
  static readonly layerWith = (cost: ScryptCost) => Layer.effect(this, this.make(cost))
}
