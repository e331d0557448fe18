import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"

export interface OutboxMail {
  readonly file: string
  readonly to: string
  readonly subject: string
  /** The decoded text part. */
  readonly text: string
}

// nodemailer writes quoted-printable bodies: undo soft line breaks and =XX escapes so links
// read as they were written.
const decodeQuotedPrintable = (body: string) =>
  body
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))

const header = (raw: string, name: string) => new RegExp(`^${name}: (.*)$`, "mi").exec(raw)?.[1]?.trim() ?? ""

/** Every `.eml` the Email layer wrote to `dir`, oldest first (file names sort by time). */
export const readOutbox = (dir: string): ReadonlyArray<OutboxMail> => {
  let files: Array<string>
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith(".eml"))
      .sort()
  } catch {
    return []
  }
  return files.map((file) => {
    const raw = readFileSync(join(dir, file), "utf8")
    const textPart = /Content-Type: text\/plain[^\n]*\n(?:[^\n]+\n)*\n([\s\S]*?)\n--/i.exec(raw)?.[1] ?? raw
    return {
      file,
      to: header(raw, "To"),
      subject: header(raw, "Subject"),
      text: decodeQuotedPrintable(textPart),
    }
  })
}

/** The newest mail to `to` whose subject matches, and the token of its link. */
export const latestLink = (
  dir: string,
  to: string,
  subject: RegExp,
): { readonly mail: OutboxMail; readonly token: string } => {
  const mail = readOutbox(dir)
    .filter((m) => m.to === to && subject.test(m.subject))
    .at(-1)
  if (mail === undefined) throw new Error(`no mail to ${to} matching ${subject}`)
  const link = /(?:token=|\/invite\/)([A-Za-z0-9_-]{43})/
  const raw = readFileSync(join(dir, mail.file), "utf8")
  // The text part first; else the whole mail decoded (the HTML part carries the same link). Once
  // in CI (2026-12-06) the text part as read here held no link; 10,000 generated mails since
  // parsed fine, so the cause is unknown: the link is taken from the mail as a whole instead.
  const token = link.exec(mail.text)?.[1] ?? link.exec(decodeQuotedPrintable(raw))?.[1]
  if (token === undefined) {
    throw new Error(
      `no link in mail ${mail.file} (${raw.length} bytes); decoded text: ${JSON.stringify(mail.text.slice(0, 600))}; raw: ${JSON.stringify(raw.slice(0, 1500))}`,
    )
  }
  return { mail, token }
}
