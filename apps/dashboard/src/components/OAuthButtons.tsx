import { useEffect, useState } from "react"
import { authConfig } from "../lib/auth"
import { safeNext } from "../lib/next"

const labels: Readonly<Record<string, string>> = { github: "GitHub", google: "Google" }

/**
 * "Continue with GitHub / Google" for the providers this install configured (dashboard.md §1.5);
 * nothing when none is. Plain links: the flow is full-page redirects through the provider.
 */
export function OAuthButtons(props: { readonly next?: string | undefined }) {
  const [providers, setProviders] = useState<ReadonlyArray<string>>([])
  useEffect(() => {
    authConfig()
      .then((config) => setProviders(config.oauthProviders))
      .catch(() => setProviders([]))
  }, [])
  if (providers.length === 0) return null
  const next = props.next === undefined ? "" : `?next=${encodeURIComponent(safeNext(props.next))}`
  return (
    <div className="stack">
      {providers.map((provider) => (
        <a
          key={provider}
          className="button secondary-button full"
          href={`/api/auth/oauth/${provider}${next}`}
        >
          Continue with {labels[provider] ?? provider}
        </a>
      ))}
      <p className="auth-or" aria-hidden="true">
        or
      </p>
    </div>
  )
}
