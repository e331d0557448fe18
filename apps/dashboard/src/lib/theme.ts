/** Theme choice (dashboard.md §5.8): stored in localStorage; none stored = follow the system. */
export type ThemeChoice = "light" | "dark" | "system"

const KEY = "yavio-theme"

export const storedTheme = (): ThemeChoice => {
  try {
    const value = localStorage.getItem(KEY)
    return value === "light" || value === "dark" ? value : "system"
  } catch {
    return "system"
  }
}

/** Stores the choice and switches the `dark` class at once (the same rule as __root's inline script). */
export const applyTheme = (choice: ThemeChoice): void => {
  try {
    if (choice === "system") localStorage.removeItem(KEY)
    else localStorage.setItem(KEY, choice)
  } catch {
    // Storage can be off (private mode): the class still switches for this page.
  }
  const dark =
    choice === "dark" || (choice === "system" && matchMedia("(prefers-color-scheme: dark)").matches)
  document.documentElement.classList.toggle("dark", dark)
}
