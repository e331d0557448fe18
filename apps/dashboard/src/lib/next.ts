/** Only same-site paths are followed after login (an open redirect would help phishing). */
export const safeNext = (next: string | undefined): string =>
  typeof next === "string" && /^\/(?![/\\])/.test(next) ? next : "/"
