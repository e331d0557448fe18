/**
 * A wrapped MCP server in a child process on the stdio transport, configured from the
 * environment (`YAVIO_API_KEY`, `YAVIO_ENDPOINT`) and delivering events over the real HTTP
 * transport. `node --import tsx stdioServer.ts v1|v2`.
 */

import { withYavio, yavio } from "../../src/server/index.js"

const generation = process.argv[2]

const finish = (): void => {
  // Flush what is buffered (the disconnect event included), then leave.
  setTimeout(() => {
    void yavio.shutdown().then(() => process.exit(0))
  }, 20)
}

if (generation === "v1") {
  const { McpServer } = await import("@modelcontextprotocol/sdk/server/mcp.js")
  const { StdioServerTransport } = await import("@modelcontextprotocol/sdk/server/stdio.js")
  const { z } = await import("zod")
  const server = withYavio(new McpServer({ name: "stdio-v1", version: "1.0.0" }))
  server.registerTool("greet", { inputSchema: { name: z.string() } }, async ({ name }, extra) => {
    ;(extra as unknown as { yavio: { step: (name: string) => void } }).yavio.step("greeted")
    return { content: [{ type: "text", text: `hello ${name}` }] }
  })
  server.server.onclose = finish
  process.stdin.on("end", () => void server.close())
  await server.connect(new StdioServerTransport())
} else {
  const { McpServer } = await import("@modelcontextprotocol/server")
  const { serveStdio } = await import("@modelcontextprotocol/server/stdio")
  const { z } = await import("zod")
  serveStdio(() => {
    const server = withYavio(new McpServer({ name: "stdio-v2", version: "2.0.0" }))
    server.registerTool("greet", { inputSchema: z.object({ name: z.string() }) }, async ({ name }) => {
      yavio.step("greeted")
      return { content: [{ type: "text", text: `hello ${name}` }] }
    })
    return server
  })
  process.stdin.on("end", finish)
}
