/** The widget bundle's entry: mounts the booking widget into `#root`. */

import { createElement } from "react"
import { createRoot } from "react-dom/client"
import { BookingWidget } from "./BookingWidget.js"

createRoot(document.getElementById("root") as HTMLElement).render(createElement(BookingWidget))
