/** A progress bar on stderr, redrawn in place on a terminal, one line per 10 % otherwise. */
export const progressBar = (label: string) => {
  const started = Date.now()
  let lastTenth = -1
  return (done: number, total: number): void => {
    const share = total === 0 ? 1 : done / total
    const seconds = (Date.now() - started) / 1000
    const rate = seconds > 0 ? Math.round(done / seconds) : 0
    const text = `${label} ${"█".repeat(Math.round(share * 30)).padEnd(30, "·")} ${(share * 100).toFixed(0).padStart(3)}% ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")} (${rate.toLocaleString("en-US")}/s)`
    if (process.stderr.isTTY) process.stderr.write(`\r${text}${done >= total ? "\n" : ""}`)
    else if (Math.floor(share * 10) > lastTenth || done >= total) {
      lastTenth = Math.floor(share * 10)
      process.stderr.write(`${text}\n`)
    }
  }
}
