import { createFileRoute } from "@tanstack/react-router"

/** Onboarding wizard (dashboard.md §4). */
export const Route = createFileRoute("/onboarding")({
  ssr: false,
  component: () => (
    <main className="auth-page">
      <h1>Set up your first project</h1>
    </main>
  ),
})
