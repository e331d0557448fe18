import { ensureBuilt } from "@yavio/dashboard/build"

/** vitest global setup: the platform serves the built app, so build it when its sources changed. */
export default async function setup(): Promise<void> {
  await ensureBuilt((line) => console.log(`yavio: ${line}`))
}
