/** A failure the page can show: the YAVIO code, the catalog's message, and its fix when known. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly fix?: string,
    readonly status?: number,
  ) {
    super(message)
    this.name = "ApiError"
  }

  /** From an RPC failure (a domain error with `code`) or an auth endpoint's JSON error body. */
  static from(value: unknown): ApiError {
    if (value instanceof ApiError) return value
    if (typeof value === "object" && value !== null) {
      const v = value as { code?: unknown; message?: unknown; fix?: unknown; status?: unknown }
      if (typeof v.code === "string" && v.code.startsWith("YAVIO-")) {
        return new ApiError(
          v.code,
          typeof v.message === "string" ? v.message : v.code,
          typeof v.fix === "string" ? v.fix : undefined,
          typeof v.status === "number" ? v.status : undefined,
        )
      }
    }
    return new ApiError("YAVIO-3999", "Something went wrong on our side. Try again in a moment.")
  }

  get signedOut(): boolean {
    return this.code === "YAVIO-3000"
  }
}
