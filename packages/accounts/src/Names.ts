import { InvalidKeyName, InvalidProjectName, InvalidWorkspaceName } from "@yavio/domain"
import { Either } from "effect"

// dashboard.md §2.1: 1–100 characters of letters, digits, spaces and `- _ . ' &` (our reading
// of "alphanumeric" that lets "Hotel Booking MCP" pass). Names are trimmed first.
const allowed = /^[\p{L}\p{N} \-_.'&]+$/u

const check = <E>(raw: string, fail: (detail: string) => E): Either.Either<string, E> => {
  const name = raw.trim()
  if (name.length < 1 || name.length > 100) return Either.left(fail("1–100 characters"))
  if (!allowed.test(name)) return Either.left(fail("use letters, digits, spaces and - _ . ' &"))
  return Either.right(name)
}

export const workspaceName = (raw: string) => check(raw, (detail) => new InvalidWorkspaceName({ detail }))
export const projectName = (raw: string) => check(raw, (detail) => new InvalidProjectName({ detail }))

/** Key names are labels only: any printable text of 1–100 characters. */
export const keyName = (raw: string): Either.Either<string, InvalidKeyName> => {
  const name = raw.trim()
  return name.length >= 1 && name.length <= 100 && !/\p{Cc}/u.test(name)
    ? Either.right(name)
    : Either.left(new InvalidKeyName({ detail: "1–100 characters" }))
}

/** Emails are trimmed and lower-cased before storage and lookup (dashboard.md §1.1). */
export const normalizeEmail = (raw: string): string => raw.trim().toLowerCase()

// Deliberately loose: the mailbox is proven by the verification link, not by a regex.
export const looksLikeEmail = (email: string): boolean =>
  email.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$|^[^\s@]+@localhost$/.test(email)
