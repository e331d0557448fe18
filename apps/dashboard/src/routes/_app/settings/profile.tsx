import { createFileRoute, useRouter } from "@tanstack/react-router"
import { type FormEvent, useState } from "react"
import { ErrorNote, Field, formFields } from "../../../components/Forms"
import { toast } from "../../../components/Toasts"
import { ApiError } from "../../../lib/ApiError"
import { rpc } from "../../../lib/rpc"

/** User → Profile (§2.5): name and avatar; the email is read-only. */
export const Route = createFileRoute("/_app/settings/profile")({
  head: () => ({ meta: [{ title: "Profile · Yavio" }] }),
  component: ProfilePage,
})

function ProfilePage() {
  const { me } = Route.useRouteContext()
  const router = useRouter()
  const [error, setError] = useState<ApiError | undefined>()
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const field = formFields(event.currentTarget)
    setError(undefined)
    try {
      const avatar = field("avatarUrl").trim()
      await rpc((c) => c.updateProfile({ name: field("name"), avatarUrl: avatar === "" ? null : avatar }))
      toast("Settings saved")
      await router.invalidate()
    } catch (failure) {
      setError(ApiError.from(failure))
    }
  }
  return (
    <section className="card" aria-labelledby="profile-heading">
      <h2 id="profile-heading">Profile</h2>
      <form className="stack" onSubmit={submit} noValidate>
        <Field
          label="Name"
          name="name"
          required
          maxLength={100}
          defaultValue={me.user.name ?? ""}
          autoComplete="name"
        />
        <Field label="Avatar URL" name="avatarUrl" type="url" defaultValue={me.user.avatarUrl ?? ""} />
        <Field
          label="Email"
          name="email"
          defaultValue={me.user.email}
          readOnly
          hint="Your sign-in address."
        />
        <ErrorNote error={error} />
        <div className="actions">
          <button type="submit" className="button">
            Save
          </button>
        </div>
      </form>
    </section>
  )
}
