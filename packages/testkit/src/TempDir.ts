import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Context, Effect, Layer } from "effect"

/**
 * A directory of its own for each test file: chDB allows one data directory per process and
 * vitest runs each file in its own forked process, so files never share engines or data.
 */
export class TempDir extends Context.Tag("test/TempDir")<TempDir, string>() {
  static readonly layer = (prefix: string): Layer.Layer<TempDir> =>
    Layer.scoped(
      this,
      Effect.acquireRelease(
        Effect.sync(() => mkdtempSync(join(tmpdir(), `yavio-${prefix}-`))),
        (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true })),
      ),
    )
}
