/** The workspace and project last opened, so settings pages and `/` come back to them. */
const KEY = "yavio-recent"

export interface Recent {
  readonly workspace?: string | undefined
  readonly project?: string | undefined
}

export const recent = (): Recent => {
  try {
    const parsed = JSON.parse(localStorage.getItem(KEY) ?? "{}") as unknown
    return typeof parsed === "object" && parsed !== null ? (parsed as Recent) : {}
  } catch {
    return {}
  }
}

export const remember = (value: Recent): void => {
  try {
    localStorage.setItem(KEY, JSON.stringify(value))
  } catch {
    // Not remembered: the first workspace and project are the fallback.
  }
}
