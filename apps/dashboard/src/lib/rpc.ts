import { FetchHttpClient } from "@effect/platform"
import { RpcClient, RpcSerialization } from "@effect/rpc"
import { AccountsRpc } from "@yavio/domain/rpc/AccountsRpc"
import { AnalyticsRpc } from "@yavio/domain/rpc/AnalyticsRpc"
import { Cause, Effect, Exit, Layer, ManagedRuntime, Option } from "effect"
import { ApiError } from "./ApiError"

/** Every group the platform serves on `POST /api/rpc`. */
export const DashboardRpc = AccountsRpc.merge(AnalyticsRpc)

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
  const exit = await runtimeOf().runPromiseExit(Effect.flatMap(Client, call))
  if (Exit.isSuccess(exit)) return exit.value
  const failure = Cause.failureOption(exit.cause)
  throw ApiError.from(Option.isSome(failure) ? failure.value : Cause.squash(exit.cause))
}
