/**
 * Wiring of real MCP clients to wrapped servers of the same generation, and the options that
 * point an SDK instance at a RecordingSink / RecordingLogger / test token endpoint.
 */

import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Client as ClientV2, InMemoryTransport as InMemoryV2 } from "@modelcontextprotocol/client"
import { Client as ClientV1 } from "@modelcontextprotocol/sdk/client/index.js"
import { InMemoryTransport as InMemoryV1 } from "@modelcontextprotocol/sdk/inMemory.js"
import { serveStdio } from "@modelcontextprotocol/server/stdio"
import { INTERNAL, type OptionsWithInternal } from "../../src/server/runtime.js"
import type { YavioOptions } from "../../src/server/types.js"
import { RecordingLogger, RecordingSink } from "./RecordingSink.js"

export const TEST_KEY = "yav_test_key_0123456789"

/** A directory without any `.yaviorc.json` above it that could leak into a test. */
const emptyCwd = mkdtempSync(join(tmpdir(), "yavio-sdk-test-"))

export interface Recorder {
  readonly sink: RecordingSink
  readonly logger: RecordingLogger
  /** Options for withYavio/createYavio wired to this recorder. */
  readonly options: (extra?: YavioOptions) => YavioOptions
}

export const recorder = (endpoint = "http://127.0.0.1:9"): Recorder => {
  const sink = new RecordingSink()
  const logger = new RecordingLogger()
  return {
    sink,
    logger,
    options: (extra = {}) => {
      const options: OptionsWithInternal = {
        apiKey: TEST_KEY,
        endpoint,
        ...extra,
        [INTERNAL]: { sink, logger, env: {}, cwd: emptyCwd },
      }
      return options
    },
  }
}

/** No key anywhere: the not-configured path. */
export const unconfigured = (logger: RecordingLogger): YavioOptions => {
  const options: OptionsWithInternal = { [INTERNAL]: { logger, env: {}, cwd: emptyCwd } }
  return options
}

export interface ClientInfo {
  readonly name: string
  readonly version: string
}

interface Connectable {
  connect(transport: never): Promise<void>
}

/** v1: a real `Client` from @modelcontextprotocol/sdk over the in-memory transport. */
export const connectV1 = async (
  server: Connectable,
  clientInfo: ClientInfo = { name: "claude-ai", version: "0.1.0" },
  capabilities: Record<string, unknown> = {},
): Promise<ClientV1> => {
  const [clientTransport, serverTransport] = InMemoryV1.createLinkedPair()
  await server.connect(serverTransport as never)
  const client = new ClientV1(clientInfo, { capabilities })
  await client.connect(clientTransport)
  return client
}

/**
 * v2 on the 2026-07-28 era: the server entry (`serveStdio`, which pins the era from the opening
 * exchange) over an in-memory wire, and a real v2 `Client` pinned to 2026-07-28.
 */
export const connectV2 = async (
  factory: () => object,
  clientInfo: ClientInfo = { name: "openai-mcp", version: "1.0.0" },
  capabilities: Record<string, unknown> = {},
  configure?: (client: ClientV2) => void,
): Promise<{ readonly client: ClientV2; readonly close: () => Promise<void> }> => {
  const [clientTransport, serverTransport] = InMemoryV2.createLinkedPair()
  const handle = serveStdio(factory as never, { transport: serverTransport })
  const client = new ClientV2(clientInfo, {
    capabilities,
    versionNegotiation: { mode: { pin: "2026-07-28" } },
  } as never)
  configure?.(client)
  await client.connect(clientTransport)
  return {
    client,
    close: async () => {
      await client.close()
      await handle.close()
    },
  }
}

/** v2 server, 2025-era connection (the v2 client's default `legacy` negotiation: `initialize`). */
export const connectV2Legacy = async (
  server: Connectable,
  clientInfo: ClientInfo = { name: "cursor-vscode", version: "1.0.0" },
  capabilities: Record<string, unknown> = {},
  configure?: (client: ClientV2) => void,
): Promise<ClientV2> => {
  const [clientTransport, serverTransport] = InMemoryV2.createLinkedPair()
  await server.connect(serverTransport as never)
  const client = new ClientV2(clientInfo, { capabilities })
  configure?.(client)
  await client.connect(clientTransport)
  return client
}
