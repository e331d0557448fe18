import { type RefObject, useLayoutEffect, useRef, useState } from "react"

/** The rendered width of an element (charts fill their panel, §5.5), following resizes. */
export const useWidth = <E extends HTMLElement>(initial = 640): readonly [RefObject<E | null>, number] => {
  const ref = useRef<E | null>(null)
  const [width, setWidth] = useState(initial)
  useLayoutEffect(() => {
    const element = ref.current
    if (element === null) return
    setWidth(element.clientWidth || initial)
    const observer = new ResizeObserver(([entry]) => {
      if (entry !== undefined) setWidth(Math.max(120, Math.floor(entry.contentRect.width)))
    })
    observer.observe(element)
    return () => observer.disconnect()
  }, [initial])
  return [ref, width] as const
}
