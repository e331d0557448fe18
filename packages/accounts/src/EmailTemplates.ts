// Pure functions from prepared data to `{ subject, html, text }` (dashboard.md §6): no lookups,
// no token logic; callers build the links from DASHBOARD_URL.

export interface RenderedEmail {
  readonly subject: string
  readonly html: string
  readonly text: string
}

const escapeHtml = (value: string): string =>
  value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;")

/** One layout for every mail: a greeting, paragraphs, one button, a footer. */
const layout = (options: {
  readonly heading: string
  readonly paragraphs: ReadonlyArray<string>
  readonly action?: { readonly label: string; readonly url: string }
  readonly footer: string
}): string => {
  const body = options.paragraphs.map((p) => `<p style="margin:0 0 16px">${escapeHtml(p)}</p>`).join("")
  const button =
    options.action === undefined
      ? ""
      : `<p style="margin:24px 0"><a href="${escapeHtml(options.action.url)}" style="background:#4f46e5;color:#ffffff;padding:10px 18px;border-radius:6px;text-decoration:none;font-weight:600">${escapeHtml(options.action.label)}</a></p><p style="margin:0 0 16px;font-size:13px;color:#52525b">Or paste this link into your browser: ${escapeHtml(options.action.url)}</p>`
  return `<!doctype html><html><body style="font-family:system-ui,-apple-system,sans-serif;color:#18181b;max-width:560px;margin:0 auto;padding:24px"><h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(options.heading)}</h1>${body}${button}<p style="margin:32px 0 0;font-size:12px;color:#52525b">${escapeHtml(options.footer)}</p></body></html>`
}

const textOf = (paragraphs: ReadonlyArray<string>, link?: string): string =>
  [...paragraphs, ...(link === undefined ? [] : [link])].join("\n\n")

const greeting = (name: string | null) => (name ? `Hi ${name},` : "Hi,")

export const verificationEmail = (input: {
  readonly name: string | null
  readonly link: string
}): RenderedEmail => {
  const paragraphs = [
    greeting(input.name),
    "Confirm your email address to finish setting up your Yavio account. The link is valid for 24 hours.",
  ]
  return {
    subject: "Verify your email",
    html: layout({
      heading: "Verify your email",
      paragraphs,
      action: { label: "Verify email", url: input.link },
      footer: "If you did not create a Yavio account, ignore this email.",
    }),
    text: textOf(paragraphs, input.link),
  }
}

export const passwordResetEmail = (input: {
  readonly name: string | null
  readonly link: string
}): RenderedEmail => {
  const paragraphs = [
    greeting(input.name),
    "Someone asked to reset the password of your Yavio account. The link works once and is valid for 1 hour.",
  ]
  return {
    subject: "Reset your password",
    html: layout({
      heading: "Reset your password",
      paragraphs,
      action: { label: "Choose a new password", url: input.link },
      footer: "If you did not ask for this, ignore this email: your password stays as it is.",
    }),
    text: textOf(paragraphs, input.link),
  }
}

export const invitationEmail = (input: {
  readonly workspaceName: string
  readonly inviterName: string | null
  readonly role: string
  readonly link: string
  readonly expiresAt: Date
}): RenderedEmail => {
  const who = input.inviterName ?? "A workspace admin"
  const paragraphs = [
    `${who} invited you to join the workspace "${input.workspaceName}" on Yavio as ${input.role}.`,
    `The invitation expires on ${input.expiresAt.toUTCString()} (7 days).`,
  ]
  return {
    subject: `You're invited to ${input.workspaceName} on Yavio`,
    html: layout({
      heading: `Join ${input.workspaceName}`,
      paragraphs,
      action: { label: "Accept invitation", url: input.link },
      footer: "If you did not expect this invitation, ignore this email.",
    }),
    text: textOf(paragraphs, input.link),
  }
}

export const accountLockedEmail = (input: {
  readonly name: string | null
  /** 2: locked for an hour; 3: locked until unlocked by `unlockLink` or a password reset. */
  readonly level: 2 | 3
  readonly unlocksAt: Date | null
  readonly unlockLink: string | null
  readonly resetLink: string
}): RenderedEmail => {
  const paragraphs = [
    greeting(input.name),
    "Your Yavio account was locked after many failed sign-in attempts.",
    input.level === 2 && input.unlocksAt !== null
      ? `It unlocks on its own at ${input.unlocksAt.toUTCString()} (after 1 hour).`
      : "It stays locked until you unlock it with the link below.",
    `If this was not you, reset your password: ${input.resetLink}`,
  ]
  const action =
    input.level === 3 && input.unlockLink !== null
      ? { label: "Unlock account", url: input.unlockLink }
      : undefined
  return {
    subject: "Your Yavio account was locked",
    html: layout({
      heading: "Account locked",
      paragraphs,
      ...(action === undefined ? {} : { action }),
      footer: "Yavio locks accounts to stop password guessing.",
    }),
    text: textOf(paragraphs, action?.url),
  }
}
