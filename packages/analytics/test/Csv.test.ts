/** CSV export: RFC 4180 quoting and formula neutralisation. */
import { describe, expect, it } from "vitest"
import { toCsv } from "../src/Csv.js"

describe("toCsv", () => {
  it("quotes, escapes, neutralises formulas, and keeps numbers as numbers", () => {
    const rows = [
      { tool: "search", message: 'said "no", then left', count: 3, rate: -0.25, keys: ["city", "guests"] },
      { tool: '=HYPERLINK("http://evil")', message: "line one\nline two", count: 0, rate: null, keys: [] },
      { tool: "@SUM(A1)", message: "-1+1", count: 1, rate: 1, keys: undefined },
    ]
    const csv = toCsv(
      [
        { header: "Tool", value: (r: (typeof rows)[number]) => r.tool },
        { header: "Message", value: (r) => r.message },
        { header: "Count", value: (r) => r.count },
        { header: "Rate", value: (r) => r.rate },
        { header: "Keys", value: (r) => r.keys },
      ],
      rows,
    )
    expect(csv).toBe(
      [
        "Tool,Message,Count,Rate,Keys",
        'search,"said ""no"", then left",3,-0.25,"[""city"",""guests""]"',
        `"'=HYPERLINK(""http://evil"")","line one\nline two",0,,[]`,
        "'@SUM(A1),'-1+1,1,1,",
        "",
      ].join("\r\n"),
    )
  })
})
