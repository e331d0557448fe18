import { InvalidWidgetJwt, WidgetJwtExpired } from "@yavio/domain"
import { Context, Effect, Layer, Redacted } from "effect"
import { errors, jwtVerify, SignJWT } from "jose"
import { IngestSecrets } from "./IngestSecrets.js"

/** What a widget token authorises: events of one trace of one session of one project. */
export interface WidgetClaims {
  readonly projectId: string
  readonly workspaceId: string
  readonly traceId: string
  readonly sessionId: string
  /** Seconds since the epoch; with `traceId` it identifies the token for its event budget. */
  readonly issuedAt: number
  readonly expiresAt: number
}

export interface MintedToken {
  readonly token: string
  readonly expiresAt: Date
}

/** Tokens live 15 minutes: long enough for a widget session, short enough to not matter if leaked. */
export const WIDGET_TOKEN_TTL_SECONDS = 900

const ALGORITHM = "HS256"

export class WidgetTokens extends Context.Tag("@yavio/ingest/WidgetTokens")<
  WidgetTokens,
  {
    readonly mint: (scope: {
      readonly projectId: string
      readonly workspaceId: string
      readonly traceId: string
      readonly sessionId: string
    }) => Effect.Effect<MintedToken>
    readonly verify: (token: string) => Effect.Effect<WidgetClaims, InvalidWidgetJwt | WidgetJwtExpired>
  }
>() {
  static readonly make = Effect.gen(function* () {
    const secrets = yield* IngestSecrets
    const key = new TextEncoder().encode(Redacted.value(secrets.jwtSecret))

    const mint = (scope: {
      readonly projectId: string
      readonly workspaceId: string
      readonly traceId: string
      readonly sessionId: string
    }) =>
      Effect.promise(async () => {
        const iat = Math.floor(Date.now() / 1000)
        const exp = iat + WIDGET_TOKEN_TTL_SECONDS
        const token = await new SignJWT({
          pid: scope.projectId,
          wid: scope.workspaceId,
          tid: scope.traceId,
          sid: scope.sessionId,
        })
          .setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
          .setIssuedAt(iat)
          .setExpirationTime(exp)
          .sign(key)
        return { token, expiresAt: new Date(exp * 1000) }
      })

    const verify = (token: string) =>
      Effect.tryPromise({
        try: () => jwtVerify(token, key, { algorithms: [ALGORITHM] }),
        catch: (cause) =>
          cause instanceof errors.JWTExpired
            ? new WidgetJwtExpired({ cause })
            : new InvalidWidgetJwt({ cause }),
      }).pipe(
        Effect.flatMap(({ payload }) => {
          const { pid, wid, tid, sid, iat, exp } = payload
          return typeof pid === "string" &&
            typeof wid === "string" &&
            typeof tid === "string" &&
            typeof sid === "string" &&
            typeof iat === "number" &&
            typeof exp === "number"
            ? Effect.succeed<WidgetClaims>({
                projectId: pid,
                workspaceId: wid,
                traceId: tid,
                sessionId: sid,
                issuedAt: iat,
                expiresAt: exp,
              })
            : Effect.fail(new InvalidWidgetJwt({ detail: "token lacks the widget claims" }))
        }),
      )

    return WidgetTokens.of({ mint, verify })
  })

  static readonly layer = Layer.effect(this, this.make)
}
