/**
 * The hotel business of the example: a fixed catalogue, searches, and bookings kept in memory.
 * Nothing here knows about MCP or Yavio.
 */

export interface Room {
  readonly id: string
  readonly hotel: string
  readonly city: string
  readonly name: string
  readonly pricePerNight: number
  readonly currency: string
  readonly maxGuests: number
  readonly amenities: ReadonlyArray<string>
}

const room = (
  id: string,
  hotel: string,
  city: string,
  name: string,
  pricePerNight: number,
  currency: string,
  maxGuests: number,
  amenities: ReadonlyArray<string>,
): Room => ({ id, hotel, city, name, pricePerNight, currency, maxGuests, amenities })

export const ROOMS: ReadonlyArray<Room> = [
  room("LIS-101", "Casa do Rio", "Lisbon", "River view double", 140, "EUR", 2, ["wifi", "breakfast"]),
  room("LIS-204", "Casa do Rio", "Lisbon", "Family suite", 260, "EUR", 4, ["wifi", "breakfast", "kitchen"]),
  room("LIS-310", "Alfama Lofts", "Lisbon", "Rooftop studio", 115, "EUR", 2, ["wifi", "terrace"]),
  room("OPO-12", "Ribeira Inn", "Porto", "Classic double", 95, "EUR", 2, ["wifi"]),
  room("OPO-40", "Ribeira Inn", "Porto", "Douro suite", 180, "EUR", 3, ["wifi", "breakfast", "view"]),
  room("BCN-7", "Hotel Gòtic", "Barcelona", "Courtyard double", 160, "EUR", 2, ["wifi", "breakfast"]),
  room("BCN-9", "Hotel Gòtic", "Barcelona", "Terrace suite", 290, "EUR", 4, ["wifi", "terrace", "spa"]),
  room("BER-21", "Spree Haus", "Berlin", "Loft single", 85, "EUR", 1, ["wifi"]),
  room("BER-33", "Spree Haus", "Berlin", "Loft double", 125, "EUR", 2, ["wifi", "gym"]),
  room("LON-5", "Camden Yard", "London", "Snug double", 150, "GBP", 2, ["wifi"]),
  room("LON-8", "Camden Yard", "London", "Garden suite", 240, "GBP", 3, ["wifi", "breakfast", "garden"]),
  room("NYC-14", "Hudson Rooms", "New York", "King room", 310, "USD", 2, ["wifi", "gym"]),
  room("NYC-22", "Hudson Rooms", "New York", "Skyline suite", 520, "USD", 4, ["wifi", "gym", "view"]),
]

export const CITIES: ReadonlyArray<string> = [...new Set(ROOMS.map((r) => r.city))]

export interface SearchQuery {
  readonly city: string
  readonly guests?: number | undefined
  readonly maxPrice?: number | undefined
}

/** Rooms in the city (case-insensitive) for that many guests and under the price, cheapest first. */
export const searchRooms = (query: SearchQuery): Room[] =>
  ROOMS.filter(
    (r) =>
      r.city.toLowerCase() === query.city.trim().toLowerCase() &&
      r.maxGuests >= (query.guests ?? 1) &&
      (query.maxPrice === undefined || r.pricePerNight <= query.maxPrice),
  ).sort((a, b) => a.pricePerNight - b.pricePerNight)

export const findRoom = (id: string): Room | undefined => ROOMS.find((r) => r.id === id.trim().toUpperCase())

export class RoomUnavailable extends Error {
  override readonly name = "RoomUnavailable"
}

export interface Booking {
  readonly bookingId: string
  readonly roomId: string
  readonly checkIn: string
  readonly nights: number
  readonly total: number
  readonly currency: string
}

/**
 * Whether the room is free from `checkIn` for `nights`: a deterministic stand-in for a real
 * availability system (some room/date pairs are sold out), plus what was booked in this process.
 */
export class Inventory {
  private readonly taken = new Set<string>()
  private sequence = 0

  isFree(roomId: string, checkIn: string, nights: number): boolean {
    const start = Date.parse(`${checkIn}T00:00:00Z`)
    for (let night = 0; night < nights; night++) {
      const day = new Date(start + night * 86_400_000).toISOString().slice(0, 10)
      const key = `${roomId}@${day}`
      if (this.taken.has(key) || soldOut(key)) return false
    }
    return true
  }

  /** Books the room, or throws `RoomUnavailable`. */
  book(room: Room, checkIn: string, nights: number): Booking {
    if (!this.isFree(room.id, checkIn, nights)) {
      throw new RoomUnavailable(
        `${room.name} (${room.id}) is sold out for ${nights} night(s) from ${checkIn}`,
      )
    }
    const start = Date.parse(`${checkIn}T00:00:00Z`)
    for (let night = 0; night < nights; night++) {
      this.taken.add(`${room.id}@${new Date(start + night * 86_400_000).toISOString().slice(0, 10)}`)
    }
    this.sequence++
    return {
      bookingId: `BK-${room.id}-${String(this.sequence).padStart(4, "0")}`,
      roomId: room.id,
      checkIn,
      nights,
      total: room.pricePerNight * nights,
      currency: room.currency,
    }
  }
}

/** About one room-night in nine is sold out, always the same ones. */
const soldOut = (key: string): boolean => {
  let hash = 2166136261
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 16777619)
  return (hash >>> 0) % 9 === 0
}
