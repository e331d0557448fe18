/**
 * The hotel-booking MCP server (`@modelcontextprotocol/sdk` v1), instrumented with Yavio in
 * three lines: import `withYavio`, wrap the server, use it as before. The API key and endpoint
 * come from `YAVIO_API_KEY` / `YAVIO_ENDPOINT` (or `.yaviorc.json`); without them the server
 * runs exactly as if Yavio were not there.
 *
 * Tools: `search_rooms` (renders the booking widget), `room_details`, `book_room` (funnel steps,
 * identify, and a conversion with value and currency). Resource: the widget's HTML.
 */

import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js"
import { withYavio, type YavioContext, type YavioOptions } from "@yavio/sdk" // 1. import
import * as z from "zod"
import { findRoom, Inventory, type Room, searchRooms } from "./hotel.js"
import { WIDGET_MIME_TYPE, WIDGET_URI } from "./widget.js"
import { widgetHtml } from "./widgetHtml.js"

/** What withYavio adds to every tool handler's context: the request-scoped tracker. */
type Tracked = { readonly yavio: YavioContext }

const text = (value: string) => ({ type: "text" as const, text: value })

const summary = (room: Room) => ({
  id: room.id,
  hotel: room.hotel,
  name: room.name,
  pricePerNight: room.pricePerNight,
  currency: room.currency,
  maxGuests: room.maxGuests,
})

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD")
  .describe("Check-in date, YYYY-MM-DD")

/**
 * A new server with its own in-memory bookings. `options` are passed to withYavio (tests point
 * it elsewhere); by default the configuration is discovered from the environment.
 */
export const createHotelServer = (options?: YavioOptions): McpServer => {
  const inventory = new Inventory()
  const server = withYavio(new McpServer({ name: "hotel-booking", version: "1.0.0" }), options) // 2. wrap

  // 3. use: register tools and resources exactly as without Yavio.
  server.registerTool(
    "search_rooms",
    {
      title: "Search rooms",
      description: "Find hotel rooms in a city for a number of guests, optionally under a nightly price.",
      inputSchema: {
        city: z.string().min(1).describe("City, e.g. Lisbon"),
        guests: z.number().int().min(1).max(8).optional().describe("Number of guests"),
        maxPrice: z.number().positive().optional().describe("Highest price per night"),
      },
      _meta: { ui: { resourceUri: WIDGET_URI }, "openai/outputTemplate": WIDGET_URI },
    },
    async ({ city, guests, maxPrice }, ctx) => {
      const { yavio } = ctx as typeof ctx & Tracked
      const rooms = searchRooms({ city, guests, maxPrice })
      yavio.step("rooms_searched", { city, results: rooms.length })
      const lines = rooms.map((r) => `${r.id}: ${r.hotel}, ${r.name}, ${r.pricePerNight} ${r.currency}/night`)
      return {
        content: [text(rooms.length === 0 ? `0 results: no rooms in ${city} match.` : lines.join("\n"))],
        structuredContent: { city, rooms: rooms.map(summary) },
      }
    },
  )

  server.registerTool(
    "room_details",
    {
      title: "Room details",
      description: "Everything about one room: hotel, price, capacity, amenities.",
      inputSchema: { roomId: z.string().min(1).describe("Room id from search_rooms, e.g. LIS-101") },
    },
    async ({ roomId }) => {
      const room = findRoom(roomId)
      if (room === undefined) {
        return { isError: true, content: [text(`Room ${roomId} does not exist. Search first.`)] }
      }
      return {
        content: [
          text(
            `${room.hotel} (${room.city}), ${room.name}: ${room.pricePerNight} ${room.currency}/night, ` +
              `up to ${room.maxGuests} guests; ${room.amenities.join(", ")}`,
          ),
        ],
        structuredContent: { room: { ...summary(room), city: room.city, amenities: [...room.amenities] } },
      }
    },
  )

  server.registerTool(
    "book_room",
    {
      title: "Book a room",
      description: "Book a room for some nights. Fails when the room is sold out on one of them.",
      inputSchema: {
        roomId: z.string().min(1).describe("Room id from search_rooms"),
        checkIn: isoDate,
        nights: z.number().int().min(1).max(30).describe("Number of nights"),
        loyaltyId: z.string().min(1).optional().describe("The guest's loyalty number, when they have one"),
      },
    },
    async ({ roomId, checkIn, nights, loyaltyId }, ctx) => {
      const { yavio } = ctx as typeof ctx & Tracked
      const room = findRoom(roomId)
      if (room === undefined) {
        return { isError: true, content: [text(`Room ${roomId} does not exist.`)] }
      }
      yavio.step("booking_started", { room_id: room.id, nights })
      if (loyaltyId !== undefined) yavio.identify(loyaltyId, { loyalty: true })
      const booking = inventory.book(room, checkIn, nights) // throws RoomUnavailable when sold out
      yavio.step("booking_confirmed", { room_id: room.id })
      yavio.conversion("booking", {
        value: booking.total,
        currency: booking.currency,
        meta: { room_id: room.id, nights },
      })
      return {
        content: [
          text(
            `Booked ${room.name} at ${room.hotel} from ${checkIn} for ${nights} night(s): ` +
              `${booking.total} ${booking.currency}. Reference ${booking.bookingId}.`,
          ),
        ],
        structuredContent: { booking: { ...booking } },
      }
    },
  )

  server.registerResource(
    "booking-widget",
    WIDGET_URI,
    { title: "Room list with booking buttons", mimeType: WIDGET_MIME_TYPE },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: WIDGET_MIME_TYPE, text: await widgetHtml() }] }),
  )

  return server
}
