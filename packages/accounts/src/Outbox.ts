/**
 * Reads back the local outbox (embedded mode without SMTP, `Email.ts`): each `.eml` file as
 * subject, recipient, date, text and the links in it. For the `/dev/outbox` page and the
 * browser tests; plain functions over the files nodemailer wrote (MIME, quoted-printable or
 * base64 parts, RFC 2047 encoded words in headers).
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"

export interface OutboxMessage {
  readonly file: string
  readonly subject: string
  readonly to: string
  readonly date: string
  readonly text: string
  readonly links: ReadonlyArray<string>
}

const splitHead = (raw: string): { readonly headers: Map<string, string>; readonly body: string } => {
  const at = raw.search(/\r?\n\r?\n/)
  const head = at < 0 ? raw : raw.slice(0, at)
  const body = at < 0 ? "" : raw.slice(at).replace(/^\r?\n\r?\n/, "")
  const headers = new Map<string, string>()
  // Folded header lines continue with whitespace.
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":")
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  return { headers, body }
}

const decodeQuotedPrintable = (value: string): string => {
  const bytes: Array<number> = []
  const soft = value.replace(/=\r?\n/g, "")
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3)
    if (soft[i] === "=" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16))
      i += 2
    } else {
      bytes.push(...Buffer.from(soft[i]!, "utf8"))
    }
  }
  return Buffer.from(bytes).toString("utf8")
}

const decodeBody = (body: string, encoding: string | undefined): string => {
  switch (encoding?.toLowerCase()) {
    case "quoted-printable":
      return decodeQuotedPrintable(body)
    case "base64":
      return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8")
    default:
      return body
  }
}

/** RFC 2047 words such as `=?UTF-8?Q?Verify_your_email?=`. */
const decodeHeader = (value: string): string =>
  value.replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _charset: string, kind: string, text: string) =>
    kind.toUpperCase() === "B"
      ? Buffer.from(text, "base64").toString("utf8")
      : decodeQuotedPrintable(text.replaceAll("_", " ")),
  )

/** The text/plain part (or, without one, the HTML with its tags dropped). */
const textOf = (headers: Map<string, string>, body: string): string => {
  const type = headers.get("content-type") ?? "text/plain"
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1]
  if (type.toLowerCase().startsWith("multipart/") && boundary !== undefined) {
    const parts = body
      .split(`--${boundary}`)
      .slice(1)
      .filter((p) => !p.startsWith("--"))
      .map((p) => splitHead(p.replace(/^\r?\n/, "")))
    const plain = parts.find((p) => (p.headers.get("content-type") ?? "text/plain").startsWith("text/plain"))
    const chosen = plain ?? parts[0]
    return chosen === undefined ? "" : textOf(chosen.headers, chosen.body)
  }
  const decoded = decodeBody(body, headers.get("content-transfer-encoding"))
  return type.toLowerCase().startsWith("text/html") ? decoded.replace(/<[^>]+>/g, " ") : decoded
}

export const parseEml = (file: string, raw: string): OutboxMessage => {
  const { headers, body } = splitHead(raw)
  const text = textOf(headers, body).trim()
  return {
    file,
    subject: decodeHeader(headers.get("subject") ?? ""),
    to: decodeHeader(headers.get("to") ?? ""),
    date: headers.get("date") ?? "",
    text,
    links: [...new Set(text.match(/https?:\/\/[^\s<>"')]+/g) ?? [])],
  }
}

/** Every message in `dir`, newest first (file names start with the ISO time of writing). */
export const readOutbox = (dir: string): ReadonlyArray<OutboxMessage> => {
  let names: Array<string>
  try {
    names = readdirSync(dir).filter((name) => name.endsWith(".eml"))
  } catch {
    return []
  }
  return names
    .sort()
    .reverse()
    .map((name) => parseEml(name, readFileSync(join(dir, name), "utf8")))
}
