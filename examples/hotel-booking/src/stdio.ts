/**
 * The hotel server on stdio, the way desktop hosts run MCP servers: one process per session.
 *
 *   YAVIO_API_KEY=yav_… YAVIO_ENDPOINT=http://127.0.0.1:3001 \
 *     node --conditions=@yavio/source --import tsx examples/hotel-booking/src/stdio.ts
 *
 * stdout belongs to the protocol; the Yavio SDK logs to stderr only.
 */

import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js"
import { yavio } from "@yavio/sdk"
import { createHotelServer } from "./server.js"

const server = createHotelServer()
await server.connect(new StdioServerTransport())

// The host closed our stdin: the session is over. Close the server (Yavio records the
// disconnect), deliver what is buffered (bounded), and leave.
let ending = false
process.stdin.on("end", () => {
  if (ending) return
  ending = true
  void server
    .close()
    .catch(() => {})
    .then(() => yavio.shutdown())
    .then(() => process.exit(0))
})
