import AnalyticsCore
import Foundation
import Hummingbird
import Prometheus

/// Public documents: the OpenAPI description of the REST API and Prometheus metrics.
struct DocsController {
    let metrics: PrometheusCollectorRegistry

    func addRoutes(to builder: RouteBuilder) {
        builder.on(.get, "/openapi.json") { _, _ in
            guard let data = OpenAPIDocument.data else {
                throw AnalyticsError.internalError("The OpenAPI document is missing from the build.")
            }
            return APIResponse.bytes(data, status: .ok)
        }
        builder.on(.get, "/metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: self.metrics.emitToBuffer()))
            )
        }
    }
}

/// The OpenAPI 3.1 document shipped as a resource; a test holds it against the registered routes.
public enum OpenAPIDocument {
    public static let data: Data? = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json") else { return nil }
        return try? Data(contentsOf: url)
    }()
}
