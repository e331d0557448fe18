import { InvalidSlugFormat } from "@yavio/domain"
import { Either } from "effect"

// dashboard.md §2.1: lower-case letters, digits and single hyphens, 2–48 characters, not a
// word the dashboard's URLs use.
const pattern = /^[a-z0-9]+(-[a-z0-9]+)*$/
export const MIN_SLUG = 2
export const MAX_SLUG = 48

export const reservedSlugs: ReadonlySet<string> = new Set([
  "api",
  "auth",
  "login",
  "logout",
  "register",
  "invite",
  "onboarding",
  "settings",
  "admin",
  "new",
  "health",
  "webhooks",
  "unlock",
  "verify-email",
  "reset-password",
  "forgot-password",
])

export const validateSlug = (slug: string): Either.Either<string, InvalidSlugFormat> => {
  if (slug.length < MIN_SLUG || slug.length > MAX_SLUG) {
    return Either.left(new InvalidSlugFormat({ detail: `slugs are ${MIN_SLUG}–${MAX_SLUG} characters` }))
  }
  if (!pattern.test(slug)) {
    return Either.left(
      new InvalidSlugFormat({
        detail: "use lower-case letters, digits and single hyphens, e.g. hotel-booking",
      }),
    )
  }
  if (reservedSlugs.has(slug)) return Either.left(new InvalidSlugFormat({ detail: `"${slug}" is reserved` }))
  return Either.right(slug)
}

/**
 * A valid slug made from any text: accents folded, everything else a hyphen, trimmed to leave
 * room for a `-N` suffix. Text with no usable characters (or a reserved word) falls back on
 * `fallback`, so generation never fails.
 */
export const slugify = (text: string, fallback: string): string => {
  const base = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_SLUG - 4)
    .replace(/-+$/g, "")
  if (base.length < MIN_SLUG) return fallback
  return reservedSlugs.has(base) ? `${base}-1` : base
}

/** `base`, then `base-2`, `base-3`, … the first one not in `taken`. */
export const firstFreeSlug = (base: string, taken: ReadonlySet<string>): string => {
  if (!taken.has(base)) return base
  for (let n = 2; ; n++) {
    const suffix = `-${n}`
    const candidate = `${base.slice(0, MAX_SLUG - suffix.length).replace(/-+$/g, "")}${suffix}`
    if (!taken.has(candidate)) return candidate
  }
}
