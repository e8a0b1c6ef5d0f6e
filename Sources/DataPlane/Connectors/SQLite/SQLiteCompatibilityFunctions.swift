import Foundation
import GRDB

/// PostgreSQL functions registered on every SQLite dataset connection, so analytical SQL written
/// for PostgreSQL (which is what LLMs write) also runs on SQLite datasets.
///
/// | function | behaviour |
/// |---|---|
/// | `date_trunc(unit, ts)` | `second`, `minute`, `hour`, `day`, `week` (ISO, Monday), `month`, `quarter`, `year`, `decade`, `century` |
/// | `date_part(field, ts)` | `year`, `quarter`, `month`, `week` (ISO), `day`, `hour`, `minute`, `second`, `dow` (0 = Sunday), `isodow`, `doy`, `epoch` |
/// | `now()` | the current UTC time |
/// | `greatest(…)`, `least(…)` | any number of arguments, NULLs ignored (SQLite's `max`/`min` return NULL instead) |
/// | `concat(…)` | NULLs ignored |
/// | `split_part(s, delimiter, n)` | 1-based; negative `n` counts from the end |
/// | `stddev`, `stddev_samp`, `stddev_pop`, `variance`, `var_samp`, `var_pop` | aggregates |
///
/// Timestamps are SQLite's: text such as `2024-03-05`, `2024-03-05 06:07:08[.123]` (a `T` may
/// separate date and time; a trailing `Z` or `±HH:MM` is converted to UTC), or numbers taken as Unix
/// seconds. Results use SQLite's own format, `YYYY-MM-DD HH:MM:SS`, so they compare and sort with
/// `datetime()` values. As in SQLite's date functions, unreadable input gives NULL; an unknown unit
/// is an error. `current_date` and `current_timestamp` are native. PostgreSQL syntax that is not a
/// function call (`extract(year FROM ts)`, `::` casts, `interval '1 day'`, `FILTER`, `WITHIN GROUP`)
/// cannot be provided, nor can `left()`/`right()` (SQLite parses `LEFT`/`RIGHT` as join keywords;
/// `substr` does the job).
enum SQLiteCompatibilityFunctions {
    static func register(on db: Database) {
        db.add(
            function: DatabaseFunction("date_trunc", argumentCount: 2, pure: true) { values in
                guard let unit = String.fromDatabaseValue(values[0]), let moment = SQLiteMoment(values[1]) else { return nil }
                return try moment.truncated(to: unit.lowercased()).text
            }
        )
        db.add(
            function: DatabaseFunction("date_part", argumentCount: 2, pure: true) { values in
                guard let field = String.fromDatabaseValue(values[0]), let moment = SQLiteMoment(values[1]) else { return nil }
                return try moment.part(field.lowercased())
            }
        )
        db.add(
            function: DatabaseFunction("now", argumentCount: 0, pure: false) { _ in
                SQLiteMoment(unixSeconds: Date().timeIntervalSince1970).text
            }
        )
        db.add(function: DatabaseFunction("greatest", pure: true) { values in Self.extreme(values, greatest: true) })
        db.add(function: DatabaseFunction("least", pure: true) { values in Self.extreme(values, greatest: false) })
        db.add(
            function: DatabaseFunction("concat", pure: true) { values in
                values.compactMap(Self.text).joined()
            }
        )
        db.add(
            function: DatabaseFunction("split_part", argumentCount: 3, pure: true) { values in
                guard let text = Self.text(values[0]), let delimiter = Self.text(values[1]), let index = Int.fromDatabaseValue(values[2]) else {
                    return nil
                }
                guard index != 0 else { throw DatabaseError(message: "split_part: field position must not be zero") }
                let parts = delimiter.isEmpty ? [text] : text.components(separatedBy: delimiter)
                let position = index > 0 ? index - 1 : parts.count + index
                return parts.indices.contains(position) ? parts[position] : ""
            }
        )
        for name in ["stddev", "stddev_samp"] {
            db.add(function: DatabaseFunction(name, argumentCount: 1, pure: true, aggregate: SampleDeviation.self))
        }
        db.add(function: DatabaseFunction("stddev_pop", argumentCount: 1, pure: true, aggregate: PopulationDeviation.self))
        for name in ["variance", "var_samp"] {
            db.add(function: DatabaseFunction(name, argumentCount: 1, pure: true, aggregate: SampleVariance.self))
        }
        db.add(function: DatabaseFunction("var_pop", argumentCount: 1, pure: true, aggregate: PopulationVariance.self))
    }

    /// Text of a value as SQLite would cast it (NULL stays nil).
    static func text(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .null: return nil
        case .int64(let int): return String(int)
        case .double(let double): return double == double.rounded() && abs(double) < 1e15 ? String(format: "%.1f", double) : "\(double)"
        case .string(let string): return string
        case .blob(let data): return String(decoding: data, as: UTF8.self)
        }
    }

    /// PostgreSQL's GREATEST/LEAST over SQLite's ordering: numbers < text < blobs, NULLs skipped.
    static func extreme(_ values: [DatabaseValue], greatest: Bool) -> DatabaseValue? {
        var best: DatabaseValue?
        for value in values where !value.isNull {
            guard let current = best else {
                best = value
                continue
            }
            let order = self.compare(value, current)
            if greatest ? order > 0 : order < 0 { best = value }
        }
        return best
    }

    static func compare(_ a: DatabaseValue, _ b: DatabaseValue) -> Int {
        func rank(_ value: DatabaseValue) -> Int {
            switch value.storage {
            case .null: return 0
            case .int64, .double: return 1
            case .string: return 2
            case .blob: return 3
            }
        }
        let (rankA, rankB) = (rank(a), rank(b))
        guard rankA == rankB else { return rankA < rankB ? -1 : 1 }
        switch (a.storage, b.storage) {
        case (.int64(let x), .int64(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.string(let x), .string(let y)): return Self.byteOrder(Array(x.utf8), Array(y.utf8))
        case (.blob(let x), .blob(let y)): return Self.byteOrder(Array(x), Array(y))
        default:
            let x = Double.fromDatabaseValue(a) ?? 0
            let y = Double.fromDatabaseValue(b) ?? 0
            return x == y ? 0 : (x < y ? -1 : 1)
        }
    }

    static func byteOrder(_ x: [UInt8], _ y: [UInt8]) -> Int {
        for (p, q) in zip(x, y) where p != q { return p < q ? -1 : 1 }
        return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
    }
}

/// Welford's running mean and variance, shared by the spread aggregates.
struct Spread {
    enum Kind {
        case sampleDeviation, populationDeviation, sampleVariance, populationVariance
    }

    var count = 0
    var mean = 0.0
    var squares = 0.0

    mutating func add(_ value: DatabaseValue) {
        guard let x = Double.fromDatabaseValue(value) else { return }
        self.count += 1
        let delta = x - self.mean
        self.mean += delta / Double(self.count)
        self.squares += delta * (x - self.mean)
    }

    func result(_ kind: Kind) -> Double? {
        switch kind {
        case .sampleDeviation: return self.count > 1 ? (self.squares / Double(self.count - 1)).squareRoot() : nil
        case .populationDeviation: return self.count > 0 ? (self.squares / Double(self.count)).squareRoot() : nil
        case .sampleVariance: return self.count > 1 ? self.squares / Double(self.count - 1) : nil
        case .populationVariance: return self.count > 0 ? self.squares / Double(self.count) : nil
        }
    }
}

struct SampleDeviation: DatabaseAggregate {
    var spread = Spread()
    mutating func step(_ values: [DatabaseValue]) { self.spread.add(values[0]) }
    func finalize() -> (any DatabaseValueConvertible)? { self.spread.result(.sampleDeviation) }
}

struct PopulationDeviation: DatabaseAggregate {
    var spread = Spread()
    mutating func step(_ values: [DatabaseValue]) { self.spread.add(values[0]) }
    func finalize() -> (any DatabaseValueConvertible)? { self.spread.result(.populationDeviation) }
}

struct SampleVariance: DatabaseAggregate {
    var spread = Spread()
    mutating func step(_ values: [DatabaseValue]) { self.spread.add(values[0]) }
    func finalize() -> (any DatabaseValueConvertible)? { self.spread.result(.sampleVariance) }
}

struct PopulationVariance: DatabaseAggregate {
    var spread = Spread()
    mutating func step(_ values: [DatabaseValue]) { self.spread.add(values[0]) }
    func finalize() -> (any DatabaseValueConvertible)? { self.spread.result(.populationVariance) }
}
