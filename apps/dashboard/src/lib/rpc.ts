import { FetchHttpClient } from "@effect/platform"
import { RpcClient, RpcSerialization } from "@effect/rpc"
import { AccountsRpc } from "@yavio/domain/rpc/AccountsRpc"
import { AnalyticsRpc } from "@yavio/domain/rpc/AnalyticsRpc"
import { Cause, Effect, Exit, Layer, ManagedRuntime, Option } from "effect"
import { ApiError } from "./ApiError"

/** Every group the platform serves on `POST /api/rpc`. */
export const DashboardRpc = AccountsRpc.merge(AnalyticsRpc)

/** The analytics calls only read. */
const analyticsReads = new Set<string>(AnalyticsRpc.requests.keys())

class Client extends Effect.Service<Client>()("dashboard/Client", {
  scoped: RpcClient.make(DashboardRpc),
}) {}

type RpcClientOf = Client

// The session cookie rides along (same origin); the server checks the Origin header.
const protocol = RpcClient.layerProtocolHttp({ url: "/api/rpc" }).pipe(
  Layer.provide(FetchHttpClient.layer),
  Layer.provide(RpcSerialization.layerJson),
)

let runtime: ManagedRuntime.ManagedRuntime<Client, never> | undefined
const runtimeOf = () => {
  runtime ??= ManagedRuntime.make(Client.Default.pipe(Layer.provide(protocol)))
  return runtime
}

/**
 * Calls the services through the typed client: `rpc((c) => c.listWorkspaces())`. A typed failure
 * rejects with an `ApiError` carrying its YAVIO code and fix; anything else with code 3999.
 */
export const rpc = async <A, E>(call: (client: RpcClientOf) => Effect.Effect<A, E>): Promise<A> => {
  // Which call this is: a change (anything but a read) makes the kept answers stale.
  let name = ""
  const exit = await runtimeOf().runPromiseExit(
    Effect.flatMap(Client, (client) =>
      call(
        new Proxy(client, {
          get: (target, property, receiver) => {
            if (typeof property === "string") name = property
            return Reflect.get(target, property, receiver)
          },
        }),
      ),
    ),
  )
  if (!/^(me$|list|get)/.test(name) && !analyticsReads.has(name)) forgetKept()
  if (Exit.isSuccess(exit)) return exit.value
  const failure = Cause.failureOption(exit.cause)
  throw ApiError.from(Option.isSome(failure) ? failure.value : Cause.squash(exit.cause))
}

/**
 * What every signed-in navigation asks again — the session's `me`, a workspace's projects —
 * kept for a short while, so a click between pages costs the page's own call only (§7.1:
 * client navigation < 100 ms). Any call that changes something (and any auth POST) clears it.
 */
const FRESH_MS = 30_000
const kept = new Map<string, { readonly at: number; readonly value: Promise<unknown> }>()

export const forgetKept = (): void => kept.clear()

const keep = <A>(key: string, load: () => Promise<A>): Promise<A> => {
  const entry = kept.get(key)
  if (entry !== undefined && Date.now() - entry.at < FRESH_MS) return entry.value as Promise<A>
  const value = load()
  kept.set(key, { at: Date.now(), value })
  value.catch(() => kept.delete(key))
  return value
}

export const keptMe = () => keep("me", () => rpc((c) => c.me()))

export const keptProjects = (workspaceId: string) =>
  keep(`projects:${workspaceId}`, () => rpc((c) => c.listProjects({ workspaceId })))
