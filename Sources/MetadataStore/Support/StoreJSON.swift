import AnalyticsCore
import Foundation

/// JSON text for the store's JSON columns (TEXT in SQLite, JSONB in PostgreSQL).
///
/// Keys are sorted and dates use ``StoreTimestamp``'s text form, so a snapshot reads back equal to
/// what was written and stays legible to an operator looking at the table.
enum StoreJSON {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(StoreTimestamp.text(date))
        }
        let data = try encoder.encode(value)
        return String(decoding: data, as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String, what: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = StoreTimestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "Not a store timestamp.")
            }
            return date
        }
        do {
            return try decoder.decode(type, from: Data(text.utf8))
        } catch {
            throw StoreFailure.corrupt(what)
        }
    }

    static func value(_ json: JSONValue) -> String {
        json.serialized()
    }

    static func value(from text: String, what: String) throws -> JSONValue {
        do {
            return try JSONValue.parse(text)
        } catch {
            throw StoreFailure.corrupt(what)
        }
    }

    static func optionalValue(_ json: JSONValue?) -> String? {
        json.map { $0.serialized() }
    }

    static func optionalValue(from text: String?, what: String) throws -> JSONValue? {
        try text.map { try self.value(from: $0, what: what) }
    }
}
