/**
 * The booking widget, a small React app rendered by the host next to a `search_rooms` result.
 * It reads the rooms from the tool result (ChatGPT: `window.openai.toolOutput`; MCP Apps hosts:
 * the result the `@modelcontextprotocol/ext-apps` bridge delivers) and calls `useYavio()` with
 * no argument: the hook finds the widget configuration itself (`window.__YAVIO__` injected by
 * withYavio, the result's `_meta.yavio`, `window.openai.toolResponseMetadata`, the bridge) and
 * captures renders, clicks, scrolls, links, errors… on its own. The one explicit call is the
 * funnel step `room_selected`, which continues the server's step count of the search's trace.
 */

import { App } from "@modelcontextprotocol/ext-apps"
import { useYavio } from "@yavio/sdk/react"
import { createElement as h, useEffect, useState } from "react"

export interface RoomSummary {
  readonly id: string
  readonly hotel: string
  readonly name: string
  readonly pricePerNight: number
  readonly currency: string
  readonly maxGuests: number
}

interface OpenAiGlobals {
  readonly toolOutput?: { readonly rooms?: ReadonlyArray<RoomSummary> }
  readonly sendFollowUpMessage?: (message: { prompt: string }) => Promise<void>
}

const openai = (): OpenAiGlobals | undefined => (window as { openai?: OpenAiGlobals }).openai

/** MCP Apps hosts talk to the View through the ext-apps bridge; ChatGPT through window.openai. */
const useRooms = (): ReadonlyArray<RoomSummary> | undefined => {
  const [rooms, setRooms] = useState(openai()?.toolOutput?.rooms)
  useEffect(() => {
    if (openai() !== undefined || window.parent === window) return
    const app = new App({ name: "hotel-booking-widget", version: "1.0.0" }, {})
    app.ontoolresult = (result) => {
      const structured = result.structuredContent as { rooms?: ReadonlyArray<RoomSummary> } | undefined
      setRooms(structured?.rooms ?? [])
    }
    void app.connect()
    return () => void app.close()
  }, [])
  return rooms
}

export const BookingWidget = () => {
  const yavio = useYavio()
  const rooms = useRooms()
  const [sort, setSort] = useState<"price" | "name">("price")
  const [selected, setSelected] = useState<string | undefined>()

  if (rooms === undefined) return h("p", { className: "empty" }, "Loading rooms…")
  if (rooms.length === 0) return h("p", { className: "empty" }, "No rooms match this search.")
  const sorted = [...rooms].sort((a, b) =>
    sort === "price" ? a.pricePerNight - b.pricePerNight : a.name.localeCompare(b.name),
  )

  const select = (room: RoomSummary) => {
    setSelected(room.id)
    yavio.step("room_selected", { room_id: room.id, price: room.pricePerNight, currency: room.currency })
    void openai()?.sendFollowUpMessage?.({ prompt: `Book room ${room.id}` })
  }

  return h(
    "main",
    null,
    h(
      "header",
      null,
      h("strong", null, `${rooms.length} room${rooms.length === 1 ? "" : "s"}`),
      h(
        "button",
        { type: "button", "data-yavio": "sort", onClick: () => setSort(sort === "price" ? "name" : "price") },
        `Sort by ${sort === "price" ? "name" : "price"}`,
      ),
    ),
    h(
      "ul",
      { "data-yavio": "room_list" },
      ...sorted.map((room) =>
        h(
          "li",
          { key: room.id, className: room.id === selected ? "room selected" : "room" },
          h("span", null, `${room.hotel} · ${room.name} · ${room.pricePerNight} ${room.currency}/night`),
          h(
            "a",
            { href: `https://hotel.example/rooms/${room.id}`, target: "_blank", rel: "noreferrer" },
            "Details",
          ),
          h(
            "button",
            { type: "button", "data-yavio": `book-${room.id}`, onClick: () => select(room) },
            "Book",
          ),
        ),
      ),
    ),
    h(
      "form",
      {
        "data-yavio": "special_request",
        onSubmit: (event: { preventDefault: () => void }) => event.preventDefault(),
      },
      h("input", { name: "request", placeholder: "Special request (optional)" }),
      h("button", { type: "submit" }, "Send"),
    ),
  )
}
