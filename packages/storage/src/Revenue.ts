import { Schema } from "effect"

/**
 * Revenue is kept as the set of (event_id, currency, value) of a group's conversions, not as
 * a running sum: a retried conversion (same event_id) joins the set once, where a sum would
 * count it again. Read, it is summed per currency with sumMap. Currencies are never added
 * together (no FX), so the result is a map; a conversion sent without a currency counts
 * under "".
 */
export const revenuePerCurrencySql = (stateColumn: string): string =>
  `CAST(arrayReduce('sumMap', arrayMap(c -> [c.2], groupUniqArrayIfMerge(${stateColumn})), arrayMap(c -> [c.3], groupUniqArrayIfMerge(${stateColumn}))), 'Map(String, Float64)')`

/** Revenue per currency code, e.g. `{ USD: 49.5, EUR: 10 }`. */
export const RevenuePerCurrency = Schema.Record({ key: Schema.String, value: Schema.Number })
export type RevenuePerCurrency = typeof RevenuePerCurrency.Type
