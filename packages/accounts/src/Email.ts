import { randomBytes } from "node:crypto"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { InvalidEnv } from "@yavio/domain"
import { Config, Context, Effect, Layer, Option, Redacted } from "effect"
import nodemailer from "nodemailer"
import type { RenderedEmail } from "./EmailTemplates.js"

/**
 * How mail leaves: an SMTP server; a local outbox of `.eml` files (embedded mode, so every
 * flow works without a mail server); or nowhere (email-disabled mode, dashboard.md §6).
 */
export type EmailTransportSettings =
  | {
      readonly _tag: "smtp"
      readonly host: string
      readonly port: number
      readonly user: string | undefined
      readonly password: Redacted.Redacted<string> | undefined
      readonly from: string
    }
  | { readonly _tag: "outbox"; readonly dir: string; readonly from: string }
  | { readonly _tag: "disabled" }

export interface EmailMessage extends RenderedEmail {
  readonly to: string
}

/** Where a message went: for logs and tests (an outbox file, or the SMTP message id). */
export type Delivery =
  | { readonly _tag: "sent"; readonly messageId: string }
  | { readonly _tag: "written"; readonly file: string }
  | { readonly _tag: "skipped" }

const optional = (name: string) =>
  Config.option(Config.string(name)).pipe(
    Effect.map(Option.filter((v) => v.trim() !== "")),
    Effect.mapError((error) => new InvalidEnv({ detail: `${name}: ${String(error)}` })),
  )

/**
 * `SMTP_HOST` selects SMTP (port `SMTP_PORT`, default 587 with STARTTLS; 465 is implicit TLS).
 * Without it, an embedded install writes to `$YAVIO_DATA_DIR/outbox`, a server install sends
 * nothing.
 */
export const emailSettingsFromEnv = (options: { readonly outboxDir: string | undefined }) =>
  Effect.gen(function* () {
    const host = yield* optional("SMTP_HOST")
    const from = Option.getOrElse(yield* optional("SMTP_FROM"), () => "noreply@localhost")
    if (Option.isSome(host)) {
      const port = Option.getOrElse(yield* optional("SMTP_PORT"), () => "587").trim()
      if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
        return yield* new InvalidEnv({ detail: "SMTP_PORT: must be a port number (587 STARTTLS, 465 TLS)" })
      }
      const password = yield* optional("SMTP_PASSWORD")
      return {
        _tag: "smtp",
        host: host.value,
        port: Number(port),
        user: Option.getOrUndefined(yield* optional("SMTP_USER")),
        password: Option.isSome(password) ? Redacted.make(password.value) : undefined,
        from,
      } satisfies EmailTransportSettings
    }
    if (options.outboxDir !== undefined) {
      return { _tag: "outbox", dir: options.outboxDir, from } satisfies EmailTransportSettings
    }
    return { _tag: "disabled" } satisfies EmailTransportSettings
  })

/**
 * Sends the service's mail. Mail is a side channel: a failed send is logged and never fails
 * the flow that asked for it (a user can ask for the link again), so `send` cannot fail.
 */
export class Email extends Context.Tag("@yavio/accounts/Email")<
  Email,
  {
    readonly mode: EmailTransportSettings["_tag"]
    /** False in email-disabled mode: verification is skipped, reset and invites are off. */
    readonly enabled: boolean
    readonly send: (message: EmailMessage) => Effect.Effect<Delivery>
  }
>() {
  static readonly make = (settings: EmailTransportSettings) =>
    Effect.gen(function* () {
      if (settings._tag === "disabled") {
        return Email.of({
          mode: "disabled",
          enabled: false,
          send: (message) =>
            Effect.logInfo("email disabled (no SMTP_HOST): not sent").pipe(
              Effect.annotateLogs({ to: message.to, subject: message.subject }),
              Effect.as({ _tag: "skipped" } as const),
            ),
        })
      }
      if (settings._tag === "outbox") {
        // nodemailer builds the MIME message; the stream transport hands it back instead of sending.
        const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" })
        yield* Effect.sync(() => mkdirSync(settings.dir, { recursive: true }))
        const send = (message: EmailMessage) =>
          Effect.tryPromise(() =>
            builder.sendMail({
              from: settings.from,
              to: message.to,
              subject: message.subject,
              html: message.html,
              text: message.text,
            }),
          ).pipe(
            Effect.map((info) => {
              // Sortable by time; the random part keeps two mails of one millisecond apart.
              const file = join(
                settings.dir,
                `${new Date().toISOString().replaceAll(":", "-")}-${randomBytes(4).toString("hex")}.eml`,
              )
              writeFileSync(file, info.message as Buffer, { mode: 0o600 })
              return { _tag: "written", file } as const
            }),
            Effect.catchAll((cause) =>
              Effect.logWarning("email: cannot write to the outbox", cause).pipe(
                Effect.as({ _tag: "skipped" } as const),
              ),
            ),
          )
        return Email.of({ mode: "outbox", enabled: true, send })
      }
      const transport = yield* Effect.acquireRelease(
        Effect.sync(() =>
          nodemailer.createTransport({
            host: settings.host,
            port: settings.port,
            secure: settings.port === 465,
            ...(settings.user === undefined
              ? {}
              : {
                  auth: {
                    user: settings.user,
                    pass: settings.password ? Redacted.value(settings.password) : "",
                  },
                }),
          }),
        ),
        (t) => Effect.sync(() => t.close()),
      )
      const send = (message: EmailMessage) =>
        Effect.tryPromise(() =>
          transport.sendMail({
            from: settings.from,
            to: message.to,
            subject: message.subject,
            html: message.html,
            text: message.text,
          }),
        ).pipe(
          Effect.map((info) => ({ _tag: "sent", messageId: String(info.messageId) }) as const),
          Effect.catchAll((cause) =>
            Effect.logWarning("email: SMTP send failed", cause).pipe(
              Effect.annotateLogs({ subject: message.subject }),
              Effect.as({ _tag: "skipped" } as const),
            ),
          ),
        )
      return Email.of({ mode: "smtp", enabled: true, send })
    })

  static readonly layerWith = (settings: EmailTransportSettings) => Layer.scoped(this, this.make(settings))
}
