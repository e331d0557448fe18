import { ConfigProvider, Effect, Layer } from "effect"
import { StorageConfig } from "../../src/StorageConfig.js"

const providerOf = (env: Readonly<Record<string, string>>) =>
  ConfigProvider.fromMap(new Map(Object.entries(env)))

/**
 * StorageConfig parsed from exactly these variables, never from the process environment:
 * a test for the embedded engines stays on them even when DATABASE_URL is exported.
 */
export const storageConfigFrom = (env: Readonly<Record<string, string>>): Layer.Layer<StorageConfig> =>
  StorageConfig.layer.pipe(Layer.provide(Layer.setConfigProvider(providerOf(env))), Layer.orDie)

/** The same, as an effect that may fail: for tests of the parsing itself. */
export const readStorageConfig = (env: Readonly<Record<string, string>>) =>
  StorageConfig.pipe(Effect.provide(StorageConfig.layer), Effect.withConfigProvider(providerOf(env)))
