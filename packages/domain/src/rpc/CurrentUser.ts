import { Context } from "effect"

/** The signed-in user behind an RPC call, resolved from the session cookie by `SessionAuth`. */
export interface SignedInUser {
  readonly id: string
  readonly email: string
  readonly emailVerified: boolean
  /** The dashboard session the call came with (its row id, never the token). */
  readonly sessionId: string
}

export class CurrentUser extends Context.Tag("@yavio/domain/CurrentUser")<CurrentUser, SignedInUser>() {}
