import { createHash, randomBytes } from "node:crypto"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { Context, Effect, Layer } from "effect"

/** Who the stub provider says is signing in. */
export interface StubAccount {
  readonly id: string
  readonly email: string | undefined
  readonly verified: boolean
  readonly name: string
}

export const STUB_CLIENT = { id: "stub-client-id", secret: "stub-client-secret" }

/**
 * A local GitHub + Google stand-in over real HTTP (dashboard.md §7.2): `/authorize` approves at
 * once and redirects back with a code; `/token` checks client credentials, redirect_uri and the
 * PKCE verifier against the challenge; the profile endpoints answer like the real APIs.
 * Tests set `next` (who signs in) and `failExchange`.
 */
export interface OAuthStubState {
  readonly base: string
  next: StubAccount
  failExchange: boolean
  /** Every access token handed out, to prove none is stored in the clear. */
  readonly issued: Array<string>
  /** The last token request's form, as the provider received it. */
  lastTokenForm: URLSearchParams | undefined
}

export class OAuthStub extends Context.Tag("test/OAuthStub")<OAuthStub, OAuthStubState>() {}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" })
  res.end(JSON.stringify(body))
}

const bodyOf = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let data = ""
    req.on("data", (chunk) => {
      data += chunk
    })
    req.on("end", () => resolve(data))
  })

export const OAuthStubLive = Layer.scoped(
  OAuthStub,
  Effect.gen(function* () {
    const codes = new Map<string, { challenge: string; redirectUri: string; account: StubAccount }>()
    const tokens = new Map<string, StubAccount>()
    const state: OAuthStubState = {
      base: "",
      next: { id: "1", email: "nobody@example.com", verified: true, name: "Nobody" },
      failExchange: false,
      issued: [],
      lastTokenForm: undefined,
    }
    const handle = async (req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? "/", "http://stub")
      const [, provider, ...rest] = url.pathname.split("/")
      const path = rest.join("/")
      if (path === "authorize") {
        const q = url.searchParams
        if (q.get("client_id") !== STUB_CLIENT.id || q.get("code_challenge_method") !== "S256") {
          return json(res, 400, { error: "invalid_request" })
        }
        const code = randomBytes(12).toString("hex")
        codes.set(code, {
          challenge: q.get("code_challenge") ?? "",
          redirectUri: q.get("redirect_uri") ?? "",
          account: state.next,
        })
        const back = new URL(q.get("redirect_uri")!)
        back.searchParams.set("code", code)
        back.searchParams.set("state", q.get("state") ?? "")
        res.writeHead(302, { location: back.toString() })
        return res.end()
      }
      if (path === "token" && req.method === "POST") {
        const form = new URLSearchParams(await bodyOf(req))
        state.lastTokenForm = form
        const grant = codes.get(form.get("code") ?? "")
        codes.delete(form.get("code") ?? "")
        const verifier = form.get("code_verifier") ?? ""
        const ok =
          !state.failExchange &&
          grant !== undefined &&
          req.headers.accept?.includes("application/json") &&
          form.get("client_id") === STUB_CLIENT.id &&
          form.get("client_secret") === STUB_CLIENT.secret &&
          form.get("redirect_uri") === grant.redirectUri &&
          createHash("sha256").update(verifier).digest("base64url") === grant.challenge
        // GitHub answers a bad code with 200 and an error field; Google with 400.
        if (!ok) return json(res, provider === "github" ? 200 : 400, { error: "bad_verification_code" })
        const token = `${provider}-access-${randomBytes(16).toString("hex")}`
        tokens.set(token, grant.account)
        state.issued.push(token)
        return json(
          res,
          200,
          provider === "google"
            ? {
                access_token: token,
                refresh_token: `${token}-refresh`,
                expires_in: 3599,
                token_type: "Bearer",
              }
            : { access_token: token, token_type: "bearer", scope: "read:user,user:email" },
        )
      }
      const account = tokens.get((req.headers.authorization ?? "").replace(/^Bearer /, ""))
      if (account === undefined) return json(res, 401, { message: "Bad credentials" })
      if (provider === "github" && req.headers["user-agent"] === undefined) return json(res, 403, {})
      if (provider === "github" && path === "user") {
        return json(res, 200, {
          id: Number(account.id),
          login: account.name.toLowerCase().replace(/\W/g, ""),
          name: account.name,
          email: null,
          avatar_url: `https://avatars.example/${account.id}`,
        })
      }
      if (provider === "github" && path === "user/emails") {
        return json(
          res,
          200,
          account.email === undefined
            ? []
            : [
                { email: `noreply-${account.id}@users.noreply.github.com`, primary: false, verified: true },
                { email: account.email, primary: true, verified: account.verified, visibility: "private" },
              ],
        )
      }
      if (provider === "google" && path === "userinfo") {
        return json(res, 200, {
          sub: account.id,
          email: account.email,
          email_verified: account.verified,
          name: account.name,
          picture: `https://lh3.example/${account.id}`,
        })
      }
      return json(res, 404, {})
    }
    const server = createServer((req, res) => {
      handle(req, res).catch(() => json(res, 500, {}))
    })
    yield* Effect.acquireRelease(
      Effect.async<void>((resume) => {
        server.listen(0, "127.0.0.1", () => resume(Effect.void))
      }),
      () =>
        Effect.async<void>((resume) => {
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        }),
    )
    return Object.assign(state, { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })
  }),
)
