import * as Field from "./Field.js"
import { UINT16_MESSAGE, UInt16 } from "./NumberTypes.js"

/**
 * The widget sends its viewport with every event (sdk.md §7.4), not only with `widget_render`.
 * Declared on every type a widget can send, so decoding keeps them instead of dropping them
 * as unknown fields.
 */
export const WidgetContextFields = {
  viewport_width: Field.optional(UInt16, UINT16_MESSAGE),
  viewport_height: Field.optional(UInt16, UINT16_MESSAGE),
}
