/**
 * Pagination and sorting of the views' tables (dashboard.md §3.1): `page` from 1, `pageSize`
 * 1–100 (default 25), `sort` one of the table's columns (default its primary metric), `order`
 * desc by default. Out of range → `YAVIO-3403`; an unknown sort field → `YAVIO-3404`.
 */

import { InvalidPagination, InvalidSortParameter } from "@yavio/domain"
import { Effect, Schema } from "effect"

export const PagingInput = Schema.Struct({
  page: Schema.optional(Schema.Number),
  pageSize: Schema.optional(Schema.Number),
  sort: Schema.optional(Schema.String),
  order: Schema.optional(Schema.String),
})
export type PagingInput = typeof PagingInput.Type

export interface Paging<S extends string> {
  readonly page: number
  readonly pageSize: number
  readonly sort: S
  readonly order: "asc" | "desc"
  readonly offset: number
}

/** A page of a table plus the total row count (a page past the end has no rows, §3.1). */
export interface Page<A> {
  readonly rows: ReadonlyArray<A>
  readonly total: number
  readonly page: number
  readonly pageSize: number
}

export const decodePaging = <S extends string>(
  input: PagingInput,
  sortable: ReadonlyArray<S>,
  defaultSort: S,
): Effect.Effect<Paging<S>, InvalidPagination | InvalidSortParameter> =>
  Effect.gen(function* () {
    const page = input.page ?? 1
    const pageSize = input.pageSize ?? 25
    if (!Number.isInteger(page) || page < 1) {
      return yield* new InvalidPagination({ detail: `page must be an integer ≥ 1; got ${page}` })
    }
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
      return yield* new InvalidPagination({
        detail: `pageSize must be an integer from 1 to 100; got ${pageSize}`,
      })
    }
    const sort = input.sort ?? defaultSort
    if (!(sortable as ReadonlyArray<string>).includes(sort)) {
      return yield* new InvalidSortParameter({
        detail: `sort must be one of ${sortable.join(", ")}; got ${JSON.stringify(sort)}`,
      })
    }
    const order = input.order ?? "desc"
    if (order !== "asc" && order !== "desc") {
      return yield* new InvalidSortParameter({
        detail: `order must be asc or desc; got ${JSON.stringify(order)}`,
      })
    }
    return { page, pageSize, sort: sort as S, order, offset: (page - 1) * pageSize }
  })
