import { Schema } from "effect"
import { coded } from "./YavioCode.js"

export const USER_ID_MAX_LENGTH = 256

/** The developer's own user id, set by `identify`; never PII-stripped. */
export const UserId = Schema.String.pipe(
  Schema.maxLength(USER_ID_MAX_LENGTH, coded("YAVIO-2105", `exceeds ${USER_ID_MAX_LENGTH} characters`)),
)
