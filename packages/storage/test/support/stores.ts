import { TempDir } from "@yavio/testkit/TempDir"
import { Effect, Layer } from "effect"
import type { StorageConfig } from "../../src/StorageConfig.js"
import { storageConfigFrom } from "./config.js"

/** StorageConfig for the embedded engines under this file's temp dir, plus extra variables. */
export const embeddedConfig = (
  prefix: string,
  env: Readonly<Record<string, string>> = {},
): Layer.Layer<StorageConfig | TempDir> =>
  Layer.unwrapEffect(Effect.map(TempDir, (dir) => storageConfigFrom({ YAVIO_DATA_DIR: dir, ...env }))).pipe(
    Layer.provideMerge(TempDir.layer(prefix)),
  )
