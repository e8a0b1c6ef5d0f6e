import AnalyticsCore
import Foundation
import MetadataStore
import TestSupport
import Testing

/// The registry half of the store contract, run unchanged against SQLite and PostgreSQL.
@Suite("Store contract: datasets")
struct DatasetContractTests {
    @Test(arguments: StoreBackend.allCases)
    func createReadAndList(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            let created = try await f.store.createDataset(sampleDataset("panel_a", tags: ["tv", "panel"]), secret: sampleSecret(), actor: "alice")
            #expect(created.version == 1)
            #expect(created.createdBy == "admin")
            let read = try #require(try await f.store.dataset(id: "panel_a"))
            #expect(read == created)
            #expect(read.settings.poolSize == 3)
            #expect(read.weighting?["weight_column"] == "weight")
            #expect(read.metadata == nil)
            #expect(read.warnings == ["login can write"])
            #expect(try await f.store.dataset(id: "missing") == nil)

            _ = try await f.store.createDataset(
                sampleDataset("panel_b", state: .active, tags: ["tv"], everApproved: true),
                secret: sampleSecret(),
                actor: "bob"
            )
            _ = try await f.store.createDataset(
                sampleDataset("retail_c", state: .active, tags: ["retail"], everApproved: true),
                secret: sampleSecret(),
                actor: "bob"
            )
            let all = try await f.store.datasets(state: nil, tag: nil)
            #expect(all.map(\.id) == ["panel_a", "panel_b", "retail_c"])
            #expect(try await f.store.datasets(state: .active, tag: nil).map(\.id) == ["panel_b", "retail_c"])
            #expect(try await f.store.datasets(state: nil, tag: "tv").map(\.id) == ["panel_a", "panel_b"])
            #expect(try await f.store.datasets(state: .active, tag: "tv").map(\.id) == ["panel_b"])
            #expect(try await f.store.datasets(state: .inactive, tag: nil).isEmpty)
            #expect(try await f.store.datasets(state: nil, tag: "t").isEmpty, "tag match is exact, not substring")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func createRejectsDuplicatesAndBadIDs(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            _ = try await f.store.createDataset(sampleDataset("dup_id"), secret: sampleSecret(), actor: "alice")
            let error = await expectError(.datasetExists) {
                try await f.store.createDataset(sampleDataset("dup_id"), secret: sampleSecret("k2"), actor: "bob")
            }
            #expect(error?.httpStatus == 409)
            #expect(try await f.store.sealedSecret(datasetID: "dup_id") == sampleSecret(), "the failed create changed nothing")
            await expectError(.invalidRequest) {
                try await f.store.createDataset(sampleDataset("Bad-Id"), secret: sampleSecret(), actor: "alice")
            }
            #expect(try await f.store.datasets(state: nil, tag: nil).map(\.id) == ["dup_id"])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func updatesAreVersionedWithAuthors(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            let created = try await f.store.createDataset(sampleDataset("edits"), secret: sampleSecret(), actor: "alice")
            let first = try await f.store.updateDataset(id: "edits", actor: "bob", note: "better name") { d in
                d.name = "Edited name"
                d.metadata = ["dictionary": ["gender": "Respondent gender"]]
            }
            #expect(first.version == 2)
            #expect(first.name == "Edited name")
            #expect(first.createdAt == created.createdAt)
            #expect(first.updatedAt >= created.updatedAt)
            let second = try await f.store.updateDataset(id: "edits", actor: "carol", note: nil) { d in
                d.tags = ["tv"]
            }
            #expect(second.version == 3)
            #expect(try await f.store.dataset(id: "edits") == second)

            let history = try await f.store.metadataVersions(datasetID: "edits")
            #expect(history.map(\.version) == [1, 2, 3])
            #expect(history.map(\.author) == ["alice", "bob", "carol"])
            #expect(history.map(\.note) == [nil, "better name", nil])
            #expect(history[0].snapshot == created)
            #expect(history[1].snapshot == first)
            #expect(history[2].snapshot == second)
            #expect(history[1].snapshot.metadata?["dictionary"]?["gender"] == "Respondent gender")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func failedUpdatesChangeNothing(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            let created = try await f.store.createDataset(sampleDataset("stable"), secret: sampleSecret(), actor: "alice")
            let eventsBefore = try await f.store.latestEventID()
            await expectError(.datasetNotFound) {
                try await f.store.updateDataset(id: "nope", actor: "bob", note: nil) { $0.name = "x" }
            }
            await expectError(.invalidRequest) {
                try await f.store.updateDataset(id: "stable", actor: "bob", note: nil) { d in
                    d.name = "half-done"
                    throw AnalyticsError.invalidRequest("refused by the change")
                }
            }
            await expectError(.invalidRequest) {
                try await f.store.updateDataset(id: "stable", actor: "bob", note: nil) { $0.state = .active }
            }
            await expectError(.invalidRequest) {
                try await f.store.updateDataset(id: "stable", actor: "bob", note: nil) { $0.id = "renamed" }
            }
            await expectError(.invalidRequest) {
                try await f.store.updateDataset(id: "stable", actor: "bob", note: nil) { $0.everApproved = true }
            }
            #expect(try await f.store.dataset(id: "stable") == created)
            #expect(try await f.store.metadataVersions(datasetID: "stable").count == 1)
            #expect(try await f.store.latestEventID() == eventsBefore)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func walksTheWholeLifecycle(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            _ = try await f.store.createDataset(sampleDataset("walk"), secret: sampleSecret(), actor: "admin")
            let path: [(LifecycleState, Bool)] = [
                (.metadataPending, false), (.humanReview, false), (.draft, false), (.metadataPending, false),
                (.humanReview, false), (.approved, true), (.active, true), (.inactive, true), (.active, true),
            ]
            var version = 1
            for (index, (target, everApproved)) in path.enumerated() {
                let moved = try await f.store.transitionDataset(id: "walk", to: target, actor: "rev\(index)", note: "step \(index)")
                version += 1
                #expect(moved.state == target)
                #expect(moved.everApproved == everApproved)
                #expect(moved.version == version)
                #expect(try await f.store.dataset(id: "walk") == moved)
            }
            let records = try await f.store.transitions(datasetID: "walk")
            #expect(records.map(\.to) == path.map(\.0))
            #expect(records.map(\.from) == [.draft] + path.dropLast().map(\.0))
            #expect(records.map(\.actor) == path.indices.map { "rev\($0)" })
            #expect(records.map(\.note) == path.indices.map { "step \($0)" })
            #expect(try await f.store.transitions(datasetID: "other").isEmpty)
            await expectError(.datasetNotFound) {
                try await f.store.transitionDataset(id: "ghost", to: .metadataPending, actor: "x", note: nil)
            }
        }
    }

    /// Every (state, everApproved, target) combination: legal moves succeed, the rest are 409 with
    /// exactly the allowed targets listed.
    @Test(arguments: StoreBackend.allCases)
    func everyTransitionIsCheckedAgainstTheLifecycle(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            var counter = 0
            for state in LifecycleState.allCases {
                for everApproved in [false, true] {
                    let allowed = state.allowedTargets(everApproved: everApproved)
                    for target in LifecycleState.allCases {
                        counter += 1
                        let id = "ds_\(counter)"
                        _ = try await f.store.createDataset(
                            sampleDataset(id, state: state, everApproved: everApproved),
                            secret: sampleSecret(),
                            actor: "admin"
                        )
                        if allowed.contains(target) {
                            let moved = try await f.store.transitionDataset(id: id, to: target, actor: "rev", note: nil)
                            #expect(moved.state == target)
                            #expect(moved.everApproved == (everApproved || target == .approved))
                        } else {
                            let error = await expectError(.invalidTransition) {
                                try await f.store.transitionDataset(id: id, to: target, actor: "rev", note: nil)
                            }
                            #expect(error?.httpStatus == 409)
                            #expect(error?.details?["allowed"] == .array(allowed.map { .string($0.rawValue) }))
                            #expect(try await f.store.dataset(id: id)?.state == state)
                            #expect(try await f.store.transitions(datasetID: id).isEmpty)
                        }
                    }
                }
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func neverApprovedInactiveDatasetsGoBackThroughReview(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            _ = try await f.store.createDataset(sampleDataset("soft_deleted", state: .inactive), secret: sampleSecret(), actor: "admin")
            let error = await expectError(.invalidTransition) {
                try await f.store.transitionDataset(id: "soft_deleted", to: .active, actor: "rev", note: nil)
            }
            #expect(error?.details?["allowed"] == ["draft"])
            let back = try await f.store.transitionDataset(id: "soft_deleted", to: .draft, actor: "rev", note: nil)
            #expect(back.state == .draft)
            #expect(back.everApproved == false)
        }
    }

    /// N concurrent moves of one dataset, from two store instances: exactly one passes.
    @Test(arguments: StoreBackend.allCases)
    func concurrentTransitionsHaveOneWinner(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            _ = try await f.store.createDataset(sampleDataset("race"), secret: sampleSecret(), actor: "admin")
            let outcomes = try await f.withSecondStore { other in
                try await withThrowingTaskGroup(of: Bool.self) { group in
                    for index in 0..<12 {
                        let store = index.isMultiple(of: 2) ? f.store : other
                        group.addTask {
                            do {
                                _ = try await store.transitionDataset(id: "race", to: .metadataPending, actor: "w\(index)", note: nil)
                                return true
                            } catch let error as AnalyticsError where error.code == .invalidTransition {
                                return false
                            }
                        }
                    }
                    return try await group.reduce(into: [Bool]()) { $0.append($1) }
                }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            #expect(outcomes.count == 12)
            let final = try #require(try await f.store.dataset(id: "race"))
            #expect(final.state == .metadataPending)
            #expect(final.version == 2)
            #expect(try await f.store.transitions(datasetID: "race").count == 1)
        }
    }

    /// Concurrent read-modify-write edits from two store instances: none is lost, versions climb by one.
    @Test(arguments: StoreBackend.allCases)
    func concurrentUpdatesLoseNothing(_ backend: StoreBackend) async throws {
        try await withStore(backend) { f in
            _ = try await f.store.createDataset(sampleDataset("counter"), secret: sampleSecret(), actor: "admin")
            let writers = 16
            try await f.withSecondStore { other in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<writers {
                        let store = index.isMultiple(of: 2) ? f.store : other
                        group.addTask {
                            _ = try await store.updateDataset(id: "counter", actor: "w\(index)", note: nil) { d in
                                let count = d.metadata?["count"]?.intValue ?? 0
                                d.metadata = ["count": .int(count + 1)]
                                d.tags.append("t\(index)")
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            let final = try #require(try await f.store.dataset(id: "counter"))
            #expect(final.metadata?["count"]?.intValue == Int64(writers))
            #expect(Set(final.tags) == Set((0..<writers).map { "t\($0)" }))
            #expect(final.version == writers + 1)
            let history = try await f.store.metadataVersions(datasetID: "counter")
            #expect(history.map(\.version) == Array(1...(writers + 1)))
            #expect(history.map { $0.snapshot.metadata?["count"]?.intValue ?? 0 } == (0...writers).map { Int64($0) })
        }
    }
}
