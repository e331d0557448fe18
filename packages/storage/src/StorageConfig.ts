import { resolve } from "node:path"
import { InvalidEnv } from "@yavio/domain"
import { Config, Context, Effect, Either, Layer, Option, Redacted } from "effect"

/** Whether a store runs inside this process (PGlite, chDB) or is a server we connect to. */
export type StoreMode = "embedded" | "server"

export type PostgresSettings =
  | { readonly mode: "embedded"; readonly dataDir: string }
  | { readonly mode: "server"; readonly url: Redacted.Redacted<string> }

export type ClickhouseSettings =
  | { readonly mode: "embedded"; readonly dataDir: string; readonly database: string }
  | {
      readonly mode: "server"
      readonly url: string
      readonly user: string
      readonly password: Redacted.Redacted<string>
      readonly database: string
    }

export interface StorageSettings {
  /** Absolute; holds the embedded stores' directories. */
  readonly dataDir: string
  readonly postgres: PostgresSettings
  readonly clickhouse: ClickhouseSettings
  /** Days `events` (and the aggregates built from them) are kept. */
  readonly retentionDays: number
}

const defaultDataDir = "./.yavio"
const defaultDatabase = "yavio"
const defaultRetentionDays = 90

// The database name is spliced into DDL (`CREATE DATABASE`, `USE`), which cannot take bound
// parameters, so only plain identifiers are accepted.
const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/

const invalid = (name: string, reason: string) => new InvalidEnv({ detail: `${name}: ${reason}` })

/**
 * Reads one variable, treating an empty value like an absent one: compose files and CI
 * often write `DATABASE_URL=` to mean "not set".
 */
const optionalString = (name: string) =>
  Config.option(Config.string(name)).pipe(
    Effect.map(Option.filter((value) => value.trim() !== "")),
    Effect.mapError((error) => invalid(name, String(error))),
  )

const parseRetentionDays = (raw: Option.Option<string>): Either.Either<number, InvalidEnv> => {
  if (Option.isNone(raw)) return Either.right(defaultRetentionDays)
  const text = raw.value.trim()
  const days = Number(text)
  return /^\d+$/.test(text) && Number.isSafeInteger(days) && days > 0
    ? Either.right(days)
    : Either.left(invalid("YAVIO_RETENTION_DAYS", "must be a positive whole number of days"))
}

const parsePostgresUrl = (raw: string): Either.Either<Redacted.Redacted<string>, InvalidEnv> => {
  // The value is a secret (it may carry a password): the error names the variable only.
  const fail = Either.left(invalid("DATABASE_URL", "must be a postgres:// or postgresql:// URL"))
  try {
    const url = new URL(raw)
    return url.protocol === "postgres:" || url.protocol === "postgresql:"
      ? Either.right(Redacted.make(raw))
      : fail
  } catch {
    return fail
  }
}

const parseClickhouseUrl = (raw: string): Either.Either<string, InvalidEnv> => {
  const fail = Either.left(invalid("CLICKHOUSE_URL", "must be an http:// or https:// URL"))
  try {
    const url = new URL(raw)
    if (url.protocol !== "http:" && url.protocol !== "https:") return fail
    // Credentials belong in CLICKHOUSE_USER / CLICKHOUSE_PASSWORD, where they are redacted.
    if (url.username !== "" || url.password !== "") {
      return Either.left(invalid("CLICKHOUSE_URL", "put credentials in CLICKHOUSE_USER/CLICKHOUSE_PASSWORD"))
    }
    return Either.right(raw)
  } catch {
    return fail
  }
}

const make = Effect.gen(function* () {
  const dataDir = resolve(Option.getOrElse(yield* optionalString("YAVIO_DATA_DIR"), () => defaultDataDir))

  const databaseUrl = yield* optionalString("DATABASE_URL")
  const postgres: PostgresSettings = Option.isSome(databaseUrl)
    ? { mode: "server", url: yield* parsePostgresUrl(databaseUrl.value) }
    : { mode: "embedded", dataDir: resolve(dataDir, "postgres") }

  const database = Option.getOrElse(yield* optionalString("CLICKHOUSE_DATABASE"), () => defaultDatabase)
  if (!identifier.test(database)) {
    return yield* invalid("CLICKHOUSE_DATABASE", "must be a plain identifier (letters, digits, _)")
  }
  const clickhouseUrl = yield* optionalString("CLICKHOUSE_URL")
  const clickhouse: ClickhouseSettings = Option.isSome(clickhouseUrl)
    ? {
        mode: "server",
        url: yield* parseClickhouseUrl(clickhouseUrl.value),
        user: Option.getOrElse(yield* optionalString("CLICKHOUSE_USER"), () => "default"),
        password: Redacted.make(Option.getOrElse(yield* optionalString("CLICKHOUSE_PASSWORD"), () => "")),
        database,
      }
    : { mode: "embedded", dataDir: resolve(dataDir, "clickhouse"), database }

  const retentionDays = yield* parseRetentionDays(yield* optionalString("YAVIO_RETENTION_DAYS"))

  return { dataDir, postgres, clickhouse, retentionDays } satisfies StorageSettings
})

/**
 * Where the two stores live, read once from the environment (through Effect's `Config`, so
 * tests swap in a `ConfigProvider`). Unset server URLs mean the embedded engines under
 * `YAVIO_DATA_DIR`: one code path, two backends.
 */
export class StorageConfig extends Context.Tag("@yavio/storage/StorageConfig")<
  StorageConfig,
  StorageSettings
>() {
  static readonly layer: Layer.Layer<StorageConfig, InvalidEnv> = Layer.effect(this, make)

  /** Fixed settings, for callers that already hold them (tests, the CLI after its own parsing). */
  static readonly layerWith = (settings: StorageSettings): Layer.Layer<StorageConfig> =>
    Layer.succeed(this, settings)
}
