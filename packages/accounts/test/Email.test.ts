import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Redacted } from "effect"
import { SMTPServer } from "smtp-server"
import { Email, emailSettingsFromEnv } from "../src/Email.js"
import {
  accountLockedEmail,
  invitationEmail,
  passwordResetEmail,
  verificationEmail,
} from "../src/EmailTemplates.js"
import { readOutbox } from "./support/outbox.js"

interface Received {
  readonly from: string
  readonly to: ReadonlyArray<string>
  readonly user: string | undefined
  readonly raw: string
}

/** The in-process SMTP sink the spec asks for: a real SMTP server (smtp-server) that keeps what it is sent. */
const smtpSink = Effect.acquireRelease(
  Effect.async<{ readonly port: number; readonly received: Array<Received>; readonly server: SMTPServer }>(
    (resume) => {
      const received: Array<Received> = []
      const server = new SMTPServer({
        // Plain SMTP on loopback: STARTTLS would need a certificate the test does not have.
        disabledCommands: ["STARTTLS"],
        allowInsecureAuth: true,
        onAuth(auth, _session, callback) {
          if (auth.username === "mailer" && auth.password === "s3cret")
            callback(null, { user: auth.username })
          else callback(new Error("bad credentials"))
        },
        onData(stream, session, callback) {
          const chunks: Array<Buffer> = []
          stream.on("data", (chunk: Buffer) => chunks.push(chunk))
          stream.on("end", () => {
            received.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
              to: session.envelope.rcptTo.map((r) => r.address),
              user: typeof session.user === "string" ? session.user : undefined,
              raw: Buffer.concat(chunks).toString("utf8"),
            })
            callback()
          })
        },
      })
      server.listen(0, "127.0.0.1", () =>
        resume(Effect.succeed({ port: (server.server.address() as AddressInfo).port, received, server })),
      )
    },
  ),
  ({ server }) => Effect.async<void>((resume) => server.close(() => resume(Effect.void))),
)

it.scoped("SMTP: authenticates, sends from SMTP_FROM, the message carries the link", () =>
  Effect.gen(function* () {
    const sink = yield* smtpSink
    const email = yield* Email.make({
      _tag: "smtp",
      host: "127.0.0.1",
      port: sink.port,
      user: "mailer",
      password: Redacted.make("s3cret"),
      from: "Yavio <noreply@yavio.test>",
    })
    expect(email).toMatchObject({ mode: "smtp", enabled: true })
    const delivery = yield* email.send({
      to: "ada@example.com",
      ...verificationEmail({ name: "Ada", link: "http://localhost:3000/verify-email?token=abc" }),
    })
    expect(delivery._tag).toBe("sent")
    expect(sink.received).toHaveLength(1)
    expect(sink.received[0]).toMatchObject({
      from: "noreply@yavio.test",
      to: ["ada@example.com"],
      user: "mailer",
    })
    expect(sink.received[0]!.raw).toMatch(/^Subject: Verify your email/m)
    expect(sink.received[0]!.raw.replace(/=\r?\n/g, "").replace(/=3D/g, "=")).toContain(
      "http://localhost:3000/verify-email?token=abc",
    )
  }),
)

it.scoped("SMTP failures are logged, never fail the flow that sent the mail", () =>
  Effect.gen(function* () {
    const sink = yield* smtpSink
    const email = yield* Email.make({
      _tag: "smtp",
      host: "127.0.0.1",
      port: sink.port,
      user: "mailer",
      password: Redacted.make("wrong"),
      from: "noreply@yavio.test",
    })
    expect(yield* email.send({ to: "x@example.com", subject: "s", html: "<p>h</p>", text: "t" })).toEqual({
      _tag: "skipped",
    })
    expect(sink.received).toHaveLength(0)
  }),
)

it.scoped("outbox: one .eml per mail in the directory, readable as a message", () =>
  Effect.gen(function* () {
    const dir = yield* Effect.acquireRelease(
      Effect.sync(() => mkdtempSync(join(tmpdir(), "yavio-outbox-test-"))),
      (d) => Effect.sync(() => rmSync(d, { recursive: true, force: true })),
    )
    const outbox = join(dir, "outbox")
    const email = yield* Email.make({ _tag: "outbox", dir: outbox, from: "noreply@localhost" })
    const first = yield* email.send({
      to: "a@example.com",
      ...passwordResetEmail({ name: null, link: "http://h/reset-password?token=t1" }),
    })
    yield* email.send({
      to: "b@example.com",
      ...verificationEmail({ name: "B", link: "http://h/verify-email?token=t2" }),
    })
    expect(first._tag).toBe("written")
    expect(readdirSync(outbox).filter((f) => f.endsWith(".eml"))).toHaveLength(2)
    const mails = readOutbox(outbox)
    expect(mails.map((m) => [m.to, m.subject])).toEqual([
      ["a@example.com", "Reset your password"],
      ["b@example.com", "Verify your email"],
    ])
    expect(mails[0]!.text).toContain("http://h/reset-password?token=t1")
    expect(readFileSync(join(outbox, readdirSync(outbox)[0]!), "utf8")).toMatch(/^From: noreply@localhost/m)
  }),
)

it.effect("disabled mode sends nothing and says so", () =>
  Effect.gen(function* () {
    const email = yield* Email.make({ _tag: "disabled" })
    expect(email.enabled).toBe(false)
    expect(yield* email.send({ to: "a@example.com", subject: "s", html: "h", text: "t" })).toEqual({
      _tag: "skipped",
    })
  }).pipe(Effect.scoped),
)

it("templates: subject, link in both parts, user text escaped in HTML", () => {
  const invite = invitationEmail({
    workspaceName: "<Acme & Co>",
    inviterName: "Ada",
    role: "viewer",
    link: "http://localhost:3000/invite/tok",
    expiresAt: new Date("2026-12-02T10:00:00Z"),
  })
  expect(invite.subject).toBe("You're invited to <Acme & Co> on Yavio")
  expect(invite.html).toContain("&lt;Acme &amp; Co&gt;")
  expect(invite.html).not.toContain("<Acme")
  expect(invite.text).toContain("http://localhost:3000/invite/tok")
  expect(invite.html).toContain('href="http://localhost:3000/invite/tok"')
  expect(invite.text).toContain("as viewer")

  const level2 = accountLockedEmail({
    name: "Ada",
    level: 2,
    unlocksAt: new Date("2026-11-25T12:00:00Z"),
    unlockLink: null,
    resetLink: "http://h/forgot-password",
  })
  expect(level2.text).toContain("unlocks on its own at Wed, 25 Nov 2026 12:00:00 GMT")
  const level3 = accountLockedEmail({
    name: null,
    level: 3,
    unlocksAt: null,
    unlockLink: "http://h/unlock?token=u",
    resetLink: "http://h/forgot-password",
  })
  expect(level3.text).toContain("http://h/unlock?token=u")
  expect(level3.html).toContain("Unlock account")
  expect(verificationEmail({ name: null, link: "l" }).text).toMatch(/^Hi,/)
})

it.effect(
  "settings from the environment: SMTP when SMTP_HOST is set, else the outbox (embedded) or nothing",
  () =>
    Effect.gen(function* () {
      const read = (env: Record<string, string>, outboxDir: string | undefined) =>
        emailSettingsFromEnv({ outboxDir }).pipe(
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))),
        )
      expect(
        yield* read({ SMTP_HOST: "mail.example.com", SMTP_USER: "u", SMTP_PASSWORD: "p" }, "/data/outbox"),
      ).toMatchObject({
        _tag: "smtp",
        host: "mail.example.com",
        port: 587,
        user: "u",
        from: "noreply@localhost",
      })
      expect(
        yield* read({ SMTP_HOST: "mail.example.com", SMTP_PORT: "465", SMTP_FROM: "a@b.co" }, undefined),
      ).toMatchObject({
        port: 465,
        user: undefined,
        from: "a@b.co",
      })
      expect(yield* read({ SMTP_HOST: "" }, "/data/outbox")).toEqual({
        _tag: "outbox",
        dir: "/data/outbox",
        from: "noreply@localhost",
      })
      expect(yield* read({}, undefined)).toEqual({ _tag: "disabled" })
      const bad = yield* Effect.flip(read({ SMTP_HOST: "h", SMTP_PORT: "smtp" }, undefined))
      expect(bad.code).toBe("YAVIO-7201")
      expect(bad.message).toContain("SMTP_PORT")
    }),
)
