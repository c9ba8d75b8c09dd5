import FlameRender
import FlameReport
import Foundation

/// The viewer's one HTML file: `templates/viewer.html` with its script, styles and data
/// document inlined, a static flame graph and top table for readers without scripts, and
/// optionally a summary above (the report's index page).
struct ViewerPage {
    var title: String
    var subtitle: String
    /// Inline HTML placed above the viewer (already escaped), or empty.
    var summaryHTML = ""
    /// The static, script-free flame graph SVG.
    var staticFlameSVG: String?
    var top: TopReport?

    /// The page, with `data` (the encoded `ViewerDocument`) in its data element.
    func render(data: [UInt8]) -> [UInt8] {
        let marker = "\u{1}fg-data\u{1}"
        let page = Template.fill(EmbeddedTemplatesAccess.viewerHTML, [
            "title": ReportBundle.html(title),
            "subtitle": ReportBundle.html(subtitle),
            "css": EmbeddedTemplatesAccess.viewerCSS,
            "js": EmbeddedTemplatesAccess.viewerJS,
            "summary": summaryHTML,
            "staticFlame": staticFlameSVG.map {
                "<img alt=\"Flame graph\" src=\"data:image/svg+xml;base64,\(Data($0.utf8).base64EncodedString())\">"
            } ?? "",
            "staticTop": top.map(Self.table) ?? "",
            "data": marker,
        ])
        // The data can be large: spliced in as bytes, never scanned for placeholders.
        let bytes = Array(page.utf8), needle = Array(marker.utf8)
        var at = 0
        while at + needle.count <= bytes.count, !bytes[at..<at + needle.count].elementsEqual(needle) { at += 1 }
        guard at + needle.count <= bytes.count else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + data.count)
        out += bytes[..<at]
        out += data
        out += bytes[(at + needle.count)...]
        return out
    }

    /// `flamegen top` as an HTML table.
    static func table(_ top: TopReport) -> String {
        var t = "<pre class=\"fg-top-head\">" + top.header.map(ReportBundle.html).joined(separator: "\n") + "</pre>\n"
        t += "<table class=\"fg-table\"><tr><th>flat</th><th>flat%</th><th>sum%</th><th>cum</th><th>cum%</th><th class=\"name\">function</th></tr>\n"
        // Readers without scripts get the heaviest rows; `flamegen top` prints them all.
        for r in top.rows.prefix(Self.staticRows) {
            t += "<tr><td>\(ReportBundle.html(r.flatText))</td><td>\(String(format: "%.2f%%", r.flatPercent))</td>"
            t += "<td>\(String(format: "%.2f%%", r.sumPercent))</td><td>\(ReportBundle.html(r.cumText))</td>"
            t += "<td>\(String(format: "%.2f%%", r.cumPercent))</td><td class=\"name\">\(ReportBundle.html(r.name))</td></tr>\n"
        }
        if top.rows.count > Self.staticRows {
            t += "<tr><td colspan=\"6\">… and \(top.rows.count - Self.staticRows) more rows: flamegen top prints every one</td></tr>\n"
        }
        return t + "</table>"
    }

    /// The most rows of the static top table.
    static let staticRows = 1000
}
