/**
 * The user-trait filter of the Users and Paths views (dashboard.md §3.5, §3.6: "trait key =
 * value", our decision on the form): users whose latest traits (`users_mv`, the last `identify`)
 * hold every given key with that value, compared as text (a JSON string by its contents, any
 * other JSON value by its JSON text: `true`, `42`). Several conditions all apply.
 */

import type { Fragment } from "@effect/sql/Statement"
import type { ClickhouseClient } from "@effect/sql-clickhouse/ClickhouseClient"
import type { TraitCondition } from "./AnalyticsFilter.js"
import type { ProjectScope } from "./ProjectScope.js"

type Ch = ClickhouseClient

/** `(SELECT user_id …)`: the project's identified users whose latest traits match. */
export const traitUsers = (ch: Ch, scope: ProjectScope, traits: ReadonlyArray<TraitCondition>): Fragment =>
  ch`(SELECT user_id FROM (
        SELECT user_id, ifNull(argMaxMerge(latest_traits_state), '{}') AS traits
        FROM users_mv
        WHERE workspace_id = ${scope.workspaceId} AND project_id = ${scope.projectId}
        GROUP BY user_id)
      WHERE ${ch.and(
        traits.map(
          ({ key, value }) =>
            ch`(JSONHas(traits, ${key}) AND (JSONExtractString(traits, ${key}) = ${value} OR JSONExtractRaw(traits, ${key}) = ${value}))`,
        ),
      )})`

/** `(SELECT session_id …)`: the project's sessions whose user (last non-null `user_id`) matches. */
export const traitSessions = (ch: Ch, scope: ProjectScope, traits: ReadonlyArray<TraitCondition>): Fragment =>
  ch`(SELECT session_id FROM sessions_mv FINAL
      WHERE workspace_id = ${scope.workspaceId} AND project_id = ${scope.projectId}
        AND finalizeAggregation(user_id_state) IN ${traitUsers(ch, scope, traits)})`
