import { randomBytes, scryptSync } from "node:crypto"
import { expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { PasswordHasher, strongCost } from "../src/PasswordHasher.js"

it.effect("hashes with the spec's scrypt parameters (N=2^17, r=8, p=1, 16-byte salt, 64-byte key)", () =>
  Effect.gen(function* () {
    const hasher = yield* PasswordHasher
    const stored = yield* hasher.hash("correct horse battery")
    const [scheme, n, r, p, salt, key] = stored.split("$")
    expect([scheme, n, r, p]).toEqual(["scrypt", "131072", "8", "1"])
    expect(Buffer.from(salt!, "base64url")).toHaveLength(16)
    expect(Buffer.from(key!, "base64url")).toHaveLength(64)
    expect(yield* hasher.verify("correct horse battery", stored)).toBe(true)
    expect(yield* hasher.verify("correct horse batterY", stored)).toBe(false)
    // Same password, new salt: never the same string twice.
    expect(yield* hasher.hash("correct horse battery")).not.toBe(stored)
  }).pipe(Effect.provide(PasswordHasher.layerWith(strongCost))),
)

it.effect("verifies the hashes apps/server writes for the local admin (32-byte key, same format)", () =>
  Effect.gen(function* () {
    const hasher = yield* PasswordHasher
    const salt = randomBytes(16)
    const key = scryptSync("local admin password", salt, 32, { N: 2 ** 14, r: 8, p: 1 })
    const stored = `scrypt$${2 ** 14}$8$1$${salt.toString("base64url")}$${key.toString("base64url")}`
    expect(yield* hasher.verify("local admin password", stored)).toBe(true)
    expect(yield* hasher.verify("other", stored)).toBe(false)
  }).pipe(Effect.provide(PasswordHasher.layerWith({ logN: 12, r: 8, p: 1 }))),
)

it.effect("refuses malformed or absurd stored hashes instead of throwing or allocating", () =>
  Effect.gen(function* () {
    const hasher = yield* PasswordHasher
    for (const stored of [
      "",
      "argon2id$...",
      "scrypt$1024$8$1$c2FsdA",
      `scrypt$${2 ** 30}$8$1$c2FsdA$${"A".repeat(86)}`,
      "scrypt$1000$8$1$c2FsdA$AAAA",
    ]) {
      expect(yield* hasher.verify("anything", stored)).toBe(false)
    }
  }).pipe(Effect.provide(PasswordHasher.layerWith({ logN: 12, r: 8, p: 1 }))),
)
