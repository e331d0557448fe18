import type { ReactNode } from "react"

/** The auth pages' layout (§5.4): centred, max 384 px, logo above the title. */
export function AuthCard(props: { readonly title: string; readonly children: ReactNode }) {
  return (
    <main className="auth-page">
      <div className="auth-card">
        <div className="logo" aria-hidden="true">
          yavio
        </div>
        <h1>{props.title}</h1>
        {props.children}
      </div>
    </main>
  )
}
