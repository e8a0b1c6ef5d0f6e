import AnalyticsCore
import AnalyticsServer
import Foundation
import TestSupport
import Testing

@Suite("serve --demo")
struct DemoBootstrapTests {
    @Test("the demo panel is created and registered active with its weighting config, once", arguments: StoreBackend.allCases)
    func demoIsRegisteredOnce(backend: StoreBackend) async throws {
        try await TestApp.run(backend, demo: true) { app in
            let demo = try await app.request(.get, "/api/datasets/demo", as: .viewer)
            #expect(demo.status == .ok, "\(demo.text)")
            #expect(demo.json?["state"]?.stringValue == "active")
            #expect(demo.json?["weighting"]?["weight_column"]?.stringValue == "weight")
            #expect(demo.json?["connection_kind"]?.stringValue == "sqlite")
            let file = app.directory.file("demo_panel.sqlite")
            #expect(FileManager.default.fileExists(atPath: file))
            let history = try await app.request(.get, "/api/datasets/demo/history")
            #expect(
                history.json?["transitions"]?.arrayValue?.map { $0["to"]?.stringValue ?? "" } == [
                    "metadata_pending", "human_review", "approved", "active",
                ]
            )

            let retired = try await app.request(.delete, "/api/datasets/demo")
            #expect(retired.json?["state"]?.stringValue == "inactive")
            try await TestApp.run(storeURL: app.storeURL, directory: app.directory, noAuth: true, demo: true) { second in
                let after = try await second.request(.get, "/api/datasets", as: nil)
                let datasets = after.json?["datasets"]?.arrayValue ?? []
                #expect(datasets.count == 1, "a second start registers nothing new")
                #expect(datasets.first?["state"]?.stringValue == "inactive", "an operator's deactivation sticks")
            }
        }
    }
}
