import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { keyName, projectName, workspaceName } from "../src/Names.js"
import { can, type Membership, permissionMatrix } from "../src/Permissions.js"
import { firstFreeSlug, reservedSlugs, slugify, validateSlug } from "../src/Slugs.js"

describe("slugs", () => {
  it("slugify folds accents, collapses separators and leaves room for a suffix", () => {
    expect(slugify("Hotel Booking MCP", "project")).toBe("hotel-booking-mcp")
    expect(slugify("  Crème   Brûlée -- Café ", "project")).toBe("creme-brulee-cafe")
    expect(slugify("!!!", "project")).toBe("project")
    expect(slugify("Settings", "workspace")).toBe("settings-1")
    expect(slugify("a".repeat(100), "x")).toHaveLength(44)
    for (const text of ["x", "Über", "日本語", "a-b", "--", "API", "new"]) {
      expect(Either.isRight(validateSlug(slugify(text, "fallback")))).toBe(true)
    }
  })

  it("validateSlug takes 2–48 lower-case letters, digits and single hyphens, not reserved", () => {
    for (const good of ["ab", "acme", "acme-labs-2", "a".repeat(48)])
      expect(validateSlug(good)).toEqual(Either.right(good))
    for (const bad of [
      "a",
      "a".repeat(49),
      "Acme",
      "acme--labs",
      "-acme",
      "acme-",
      "ac me",
      "acmé",
      ...reservedSlugs,
    ]) {
      expect(Either.getLeft(validateSlug(bad)).pipe((o) => o._tag === "Some" && o.value.code)).toBe(
        "YAVIO-3156",
      )
    }
  })

  it("firstFreeSlug counts up from -2 and stays within 48 characters", () => {
    expect(firstFreeSlug("acme", new Set())).toBe("acme")
    expect(firstFreeSlug("acme", new Set(["acme", "acme-2", "acme-3"]))).toBe("acme-4")
    const long = "a".repeat(48)
    expect(firstFreeSlug(long, new Set([long]))).toBe(`${"a".repeat(46)}-2`)
  })
})

describe("names", () => {
  it("workspace and project names: 1–100 letters, digits, spaces and - _ . ' &", () => {
    expect(workspaceName("  Hotel Booking MCP ")).toEqual(Either.right("Hotel Booking MCP"))
    expect(Either.isRight(workspaceName("Zoë's R&D_team-1.0"))).toBe(true)
    for (const bad of ["", "   ", "x".repeat(101), "<b>", "a/b", "emoji 🎉"]) {
      expect(Either.isLeft(workspaceName(bad))).toBe(true)
      expect(Either.isLeft(projectName(bad))).toBe(true)
    }
    expect(Either.isLeft(keyName(""))).toBe(true)
    expect(keyName("CI key (staging) 🎉")).toEqual(Either.right("CI key (staging) 🎉"))
  })
})

describe("permission matrix (dashboard.md §2.2)", () => {
  const as = (actor: "owner" | "admin" | "member" | "viewer"): Membership => ({
    workspaceId: "w",
    role: actor === "owner" ? "admin" : actor,
    isOwner: actor === "owner",
  })
  it("grants exactly the listed actors", () => {
    const table = Object.fromEntries(
      Object.keys(permissionMatrix).map((capability) => [
        capability,
        (["owner", "admin", "member", "viewer"] as const)
          .filter((actor) => can(as(actor), capability as keyof typeof permissionMatrix))
          .join(" "),
      ]),
    )
    expect(table).toEqual({
      "workspace.view": "owner admin member",
      "workspace.update": "owner admin",
      "workspace.delete": "owner",
      "workspace.leave": "admin member viewer",
      "members.list": "owner admin member",
      "members.manage": "owner admin",
      "invitations.manage": "owner admin",
      "projects.list": "owner admin member viewer",
      "projects.view": "owner admin member",
      "projects.manage": "owner admin",
      "apiKeys.list": "owner admin member",
      "apiKeys.manage": "owner admin",
    })
  })
})
