import AnalyticsCore
import Foundation
import NIOCore

/// Turns binary PostgreSQL values into `JSONValue`s (see `PostgresResultDecoder` for the mapping).
///
/// One pass over a result: values of types the catalog does not know yet are recorded in
/// ``missingTypes`` (the caller looks them up and decodes again), and values only the server can
/// render are recorded in ``pendingText`` with their position, left `null` until the server's text
/// is filled in.
struct PostgresValueDecoder {
    struct Malformed: Error {
        var typeName: String
    }

    struct PendingText {
        var type: UInt32
        var bytes: ByteBuffer
        /// Row, column, then indexes into nested arrays.
        var path: [Int]
    }

    let catalog: PostgresTypeCatalog
    private(set) var missingTypes: Set<UInt32> = []
    private(set) var pendingText: [PendingText] = []

    init(catalog: PostgresTypeCatalog) {
        self.catalog = catalog
    }

    mutating func decode(type oid: UInt32, bytes: ByteBuffer?, path: [Int]) throws -> JSONValue {
        guard let bytes else { return .null }
        guard let info = self.catalog.info(oid) else {
            self.missingTypes.insert(oid)
            return .null
        }
        var buffer = bytes
        func read<T: FixedWidthInteger>(_: T.Type) throws -> T {
            guard let value = buffer.readInteger(as: T.self) else { throw Malformed(typeName: info.name) }
            return value
        }
        switch info.decoding {
        case .bool:
            return .bool(try read(UInt8.self) != 0)
        case .int2:
            return .int(Int64(try read(Int16.self)))
        case .int4:
            return .int(Int64(try read(Int32.self)))
        case .int8:
            return .int(try read(Int64.self))
        case .oid:
            return .int(Int64(try read(UInt32.self)))
        case .float4:
            let value = Float(bitPattern: try read(UInt32.self))
            guard value.isFinite else { return .string(Self.specialFloatText(Double(value))) }
            return .double(Double("\(value)") ?? Double(value))
        case .float8:
            let value = Double(bitPattern: try read(UInt64.self))
            return value.isFinite ? .double(value) : .string(Self.specialFloatText(value))
        case .numeric:
            do {
                switch try PostgresNumericText.decode(buffer) {
                case .finite(let text): return .number(text)
                case .special(let text): return .string(text)
                }
            } catch {
                throw Malformed(typeName: info.name)
            }
        case .text:
            return .string(buffer.readString(length: buffer.readableBytes) ?? "")
        case .bytea:
            return .string(Data(buffer.readableBytesView).base64EncodedString())
        case .uuid:
            guard buffer.readableBytes == 16, let raw = buffer.readBytes(length: 16) else { throw Malformed(typeName: info.name) }
            return .string(Self.uuidText(raw))
        case .json:
            return Self.json(buffer.readString(length: buffer.readableBytes) ?? "")
        case .jsonb:
            guard try read(UInt8.self) == 1 else { throw Malformed(typeName: info.name) }
            return Self.json(buffer.readString(length: buffer.readableBytes) ?? "")
        case .date:
            return .string(PostgresTemporalText.date(daysSince2000: try read(Int32.self)))
        case .time:
            return .string(PostgresTemporalText.time(microseconds: try read(Int64.self)))
        case .timetz:
            let micros = try read(Int64.self)
            let zone = try read(Int32.self)
            return .string(PostgresTemporalText.timeWithZone(microseconds: micros, zoneSecondsWest: zone))
        case .timestamp:
            return .string(PostgresTemporalText.timestamp(microsecondsSince2000: try read(Int64.self), utc: false))
        case .timestamptz:
            return .string(PostgresTemporalText.timestamp(microsecondsSince2000: try read(Int64.self), utc: true))
        case .interval:
            let micros = try read(Int64.self)
            let days = try read(Int32.self)
            let months = try read(Int32.self)
            return .string(PostgresTemporalText.interval(microseconds: micros, days: days, months: months))
        case .array:
            return try self.decodeArray(&buffer, typeName: info.name, path: path)
        case .record:
            return try self.decodeRecord(&buffer, typeName: info.name, path: path)
        case .serverText:
            self.pendingText.append(PendingText(type: oid, bytes: bytes, path: path))
            return .null
        }
    }

    /// `array_send`: dimensions, a null flag, the element type, then each element length-prefixed.
    private mutating func decodeArray(_ buffer: inout ByteBuffer, typeName: String, path: [Int]) throws -> JSONValue {
        guard let (dimensionCount, _, elementType) = buffer.readMultipleIntegers(as: (Int32, Int32, UInt32).self),
            (0...6).contains(dimensionCount)
        else { throw Malformed(typeName: typeName) }
        var lengths: [Int] = []
        for _ in 0..<dimensionCount {
            guard let (length, _) = buffer.readMultipleIntegers(as: (Int32, Int32).self), length >= 0 else {
                throw Malformed(typeName: typeName)
            }
            lengths.append(Int(length))
        }
        guard !lengths.isEmpty else { return .array([]) }
        return try self.arrayLevel(&buffer, lengths: lengths[...], elementType: elementType, typeName: typeName, path: path)
    }

    private mutating func arrayLevel(
        _ buffer: inout ByteBuffer,
        lengths: ArraySlice<Int>,
        elementType: UInt32,
        typeName: String,
        path: [Int]
    ) throws -> JSONValue {
        guard let count = lengths.first else { throw Malformed(typeName: typeName) }
        var items: [JSONValue] = []
        items.reserveCapacity(count)
        for index in 0..<count {
            if lengths.count > 1 {
                items.append(
                    try self.arrayLevel(&buffer, lengths: lengths.dropFirst(), elementType: elementType, typeName: typeName, path: path + [index])
                )
            } else {
                items.append(try self.lengthPrefixedValue(&buffer, type: elementType, typeName: typeName, path: path + [index]))
            }
        }
        return .array(items)
    }

    /// `record_send`: a field count, then each field's type and length-prefixed value.
    private mutating func decodeRecord(_ buffer: inout ByteBuffer, typeName: String, path: [Int]) throws -> JSONValue {
        guard let fieldCount = buffer.readInteger(as: Int32.self), fieldCount >= 0 else { throw Malformed(typeName: typeName) }
        var fields: [JSONValue] = []
        for index in 0..<Int(fieldCount) {
            guard let fieldType = buffer.readInteger(as: UInt32.self) else { throw Malformed(typeName: typeName) }
            fields.append(try self.lengthPrefixedValue(&buffer, type: fieldType, typeName: typeName, path: path + [index]))
        }
        return .array(fields)
    }

    private mutating func lengthPrefixedValue(_ buffer: inout ByteBuffer, type: UInt32, typeName: String, path: [Int]) throws -> JSONValue {
        guard let length = buffer.readInteger(as: Int32.self) else { throw Malformed(typeName: typeName) }
        if length < 0 { return .null }
        guard let slice = buffer.readSlice(length: Int(length)) else { throw Malformed(typeName: typeName) }
        return try self.decode(type: type, bytes: slice, path: path)
    }

    static func specialFloatText(_ value: Double) -> String {
        value.isNaN ? "NaN" : (value > 0 ? "Infinity" : "-Infinity")
    }

    static func json(_ text: String) -> JSONValue {
        (try? JSONValue.parseExact(text)) ?? .string(text)
    }

    static func uuidText(_ bytes: [UInt8]) -> String {
        let hex = bytes.map { byte -> String in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }
        let groups = [hex[0..<4], hex[4..<6], hex[6..<8], hex[8..<10], hex[10..<16]]
        return groups.map { $0.joined() }.joined(separator: "-")
    }
}
