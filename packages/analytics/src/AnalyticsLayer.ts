import { Layer } from "effect"
import { AnalyticsRpcHandlers } from "./AnalyticsRpcHandlers.js"
import { DefaultFunnel } from "./DefaultFunnel.js"
import { Errors } from "./Errors.js"
import { Funnels } from "./Funnels.js"
import { Intents } from "./Intents.js"
import { Overview } from "./Overview.js"
import { Paths } from "./Paths.js"
import { SavedFunnels } from "./SavedFunnels.js"
import { Timeline } from "./Timeline.js"
import { ToolDetail } from "./ToolDetail.js"
import { Tools } from "./Tools.js"
import { Users } from "./Users.js"

/** Every view's service. Needs the analytics store (`ClickhouseClient`). */
export const AnalyticsLive = Layer.mergeAll(
  Overview.layer,
  Tools.layer,
  ToolDetail.layer,
  Funnels.layer,
  Users.layer,
  Paths.layer,
  Errors.layer,
  Timeline.layer,
  DefaultFunnel.layer,
  Intents.layer,
)

/** The `AnalyticsRpc` handlers over the views; authorization needs accounts' `Access`, saved funnels its `TenantScope` and PostgreSQL. */
export const AnalyticsRpcLive = AnalyticsRpcHandlers.pipe(
  Layer.provideMerge(AnalyticsLive),
  Layer.provideMerge(SavedFunnels.layer),
)
