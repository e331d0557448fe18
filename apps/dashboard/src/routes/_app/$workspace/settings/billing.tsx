import { createFileRoute } from "@tanstack/react-router"

/** Workspace → Billing (§2.5): self-hosted installs have no billing; the hosted offer instead. */
export const Route = createFileRoute("/_app/$workspace/settings/billing")({
  head: () => ({ meta: [{ title: "Billing · Yavio" }] }),
  component: BillingPage,
})

function BillingPage() {
  return (
    <section className="premium-card">
      <h2>Billing</h2>
      <p className="secondary">
        This is a self-hosted install: no plan limits, nothing to pay. Yavio Cloud hosts it for you, with
        usage billing and a spending cap.
      </p>
      <a href="https://yavio.ai/pricing" className="underline-link">
        See Yavio Cloud pricing
      </a>
    </section>
  )
}
