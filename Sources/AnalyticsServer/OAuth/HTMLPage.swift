import HTTPTypes
import Hummingbird

/// Server-rendered HTML for the sign-in and consent pages: escaped text, no scripts, and headers
/// that keep the pages from being framed, cached or styled from elsewhere.
struct HTMLPage {
    var title: String
    var body: String
    var status: HTTPResponse.Status = .ok
    /// Whether forms may only post to this server. The consent page lifts it: its form's answer
    /// redirects to the client, and browsers apply `form-action` to every redirect after it (which
    /// would block a client's callback that hands over to an app link such as `claude://`).
    var restrictFormTargets = true

    func response(headers extra: HTTPFields = [:]) -> Response {
        let html = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Self.escape(self.title)) · MCP Analytics</title>
            <link rel="stylesheet" href="/oauth/style.css">
            </head>
            <body>
            <main class="card">
            <p class="brand">MCP Analytics</p>
            \(self.body)
            </main>
            </body>
            </html>
            """
        let formAction = self.restrictFormTargets ? " form-action 'self';" : ""
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8",
            .cacheControl: "no-store",
            .contentSecurityPolicy:
                "default-src 'none'; style-src 'self'; img-src 'self';\(formAction) frame-ancestors 'none'; base-uri 'none'",
            HTTPField.Name("X-Frame-Options")!: "DENY",
            HTTPField.Name("Referrer-Policy")!: "same-origin",
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        ]
        headers.append(contentsOf: extra)
        return Response(status: self.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// Escapes text for HTML element content and double-quoted attributes.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    static func hidden(_ fields: [(String, String)]) -> String {
        fields.map { #"<input type="hidden" name="\#(escape($0.0))" value="\#(escape($0.1))">"# }.joined(separator: "\n")
    }

    /// The stylesheet of the sign-in pages: system fonts, calm colours, good contrast.
    static let stylesheet = """
        :root { color-scheme: light; --ink: #1d2430; --muted: #5b6473; --line: #d9dee7; --accent: #1f5fbf; --bad: #a4262c; }
        * { box-sizing: border-box; }
        body { margin: 0; min-height: 100vh; display: flex; align-items: center; justify-content: center;
          font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: #f4f6fa; }
        .card { width: min(440px, 92vw); background: #fff; border: 1px solid var(--line); border-radius: 12px; padding: 28px 32px;
          box-shadow: 0 6px 24px rgba(20, 30, 50, .06); }
        .brand { margin: 0 0 4px; font-size: 13px; letter-spacing: .06em; text-transform: uppercase; color: var(--muted); }
        h1 { margin: 0 0 16px; font-size: 22px; }
        label { display: block; margin: 14px 0 4px; font-weight: 600; font-size: 14px; }
        input[type=email], input[type=password] { width: 100%; padding: 10px 12px; border: 1px solid var(--line); border-radius: 8px; font: inherit; }
        input:focus { outline: 2px solid var(--accent); outline-offset: 1px; }
        .actions { display: flex; gap: 12px; margin-top: 22px; }
        button { flex: 1; padding: 10px 14px; border-radius: 8px; border: 1px solid var(--accent); background: var(--accent); color: #fff;
          font: inherit; font-weight: 600; cursor: pointer; }
        button.secondary, a.button.secondary { background: #fff; color: var(--ink); border-color: var(--line); }
        a.button { display: block; text-align: center; padding: 10px 14px; border-radius: 8px; border: 1px solid var(--line);
          text-decoration: none; font-weight: 600; }
        .or { text-align: center; color: var(--muted); margin: 16px 0 8px; font-size: 14px; }
        .error { margin: 12px 0 0; padding: 10px 12px; border-radius: 8px; background: #fdecec; color: var(--bad); }
        .muted { color: var(--muted); font-size: 14px; }
        .badge { display: inline-block; padding: 2px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; }
        .badge.ok { background: #e5f4ea; color: #1c6b3a; }
        .badge.warn { background: #fff4e0; color: #8a5300; }
        ul.scopes { padding-left: 20px; margin: 8px 0; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: 6px 14px; margin: 14px 0; font-size: 14px; }
        dt { color: var(--muted); }
        dd { margin: 0; word-break: break-all; }
        code { font-size: 13px; }
        """
}
