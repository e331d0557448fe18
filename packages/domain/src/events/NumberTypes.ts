import { Schema } from "effect"

// Numbers as the ClickHouse `events` columns store them: UInt* columns take integers in their
// range (an out-of-range value would wrap silently), Float64 columns take finite numbers.

export const UINT16_MAX = 65_535
export const UINT32_MAX = 4_294_967_295

/** Float64 column that may hold any finite number (e.g. a refund as a negative conversion). */
export const FiniteNumber = Schema.Number.pipe(Schema.finite())

/** Float64 column holding a duration or other quantity that cannot be negative. */
export const NonNegativeNumber = Schema.Number.pipe(Schema.finite(), Schema.nonNegative())

/** Float64 column holding a percentage. */
export const Percentage = Schema.Number.pipe(Schema.finite(), Schema.between(0, 100))

/** UInt8 column used as a boolean. */
export const Flag = Schema.Literal(0, 1)

export const UInt16 = Schema.Number.pipe(Schema.int(), Schema.between(0, UINT16_MAX))

export const UInt32 = Schema.Number.pipe(Schema.int(), Schema.between(0, UINT32_MAX))

// Field messages for the types above ("<field> must be …").
export const FINITE_NUMBER_MESSAGE = "must be a finite number"
export const NON_NEGATIVE_NUMBER_MESSAGE = "must be a non-negative number"
export const PERCENTAGE_MESSAGE = "must be a number between 0 and 100"
export const FLAG_MESSAGE = "must be 0 or 1"
export const UINT16_MESSAGE = `must be an integer between 0 and ${UINT16_MAX}`
export const UINT32_MESSAGE = `must be an integer between 0 and ${UINT32_MAX}`
