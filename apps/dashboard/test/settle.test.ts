/** §3.1 error states: which of a view's queries failed, and when the view fails as a whole. */
import { describe, expect, it } from "vitest"
import { ApiError } from "../src/lib/ApiError"
import { settleAll } from "../src/lib/views/settle"

const refused = new ApiError("YAVIO-3403", "Invalid pagination")

describe("settleAll", () => {
  it("keeps each query's value or failure apart", async () => {
    const settled = await settleAll({ kpis: Promise.resolve(3), list: Promise.reject(refused) })
    expect(settled.kpis).toEqual({ ok: true, value: 3 })
    expect(settled.list).toEqual({ ok: false, error: refused })
  })

  it("a failure that is not an ApiError becomes YAVIO-3999 (never an undefined reason)", async () => {
    const settled = await settleAll({ a: Promise.resolve(1), b: Promise.reject(new TypeError("boom")) })
    expect(settled.b.ok ? null : settled.b.error.code).toBe("YAVIO-3999")
  })

  it("throws when every query failed: the view shows the failure once", async () => {
    const timeout = new ApiError("YAVIO-3405", "Analytics query timeout")
    await expect(settleAll({ a: Promise.reject(timeout), b: Promise.reject(refused) })).rejects.toBe(timeout)
  })

  it("throws a signed-out failure even when other queries answered (the app sends the user to log in)", async () => {
    const signedOut = new ApiError("YAVIO-3000", "Not signed in")
    await expect(settleAll({ a: Promise.resolve(1), b: Promise.reject(signedOut) })).rejects.toBe(signedOut)
  })
})
