import AnalyticsCore
import NIOCore
import PostgresNIO

/// Maps a PostgreSQL result to JSON rows and typed columns.
///
/// | PostgreSQL | JSON |
/// |---|---|
/// | `int2`, `int4`, `int8`, `oid` | integer |
/// | `float4`, `float8` | number; `NaN`, `Infinity`, `-Infinity` as strings |
/// | `numeric` | number with the exact digits (any precision); `NaN`/`±Infinity` as strings |
/// | `bool` | `true` / `false` |
/// | `text`, `varchar`, `bpchar` (padding kept), `name`, `citext`, `uuid`, enums, `xml` | string |
/// | `date`, `timestamp`, `timestamptz`, `time`, `timetz`, `interval` | string, see `PostgresTemporalText` |
/// | `bytea` | base64 string |
/// | `json`, `jsonb` | the document itself, numbers exact |
/// | arrays of any type (any dimensions) | nested arrays, `NULL` elements as `null` |
/// | composites and records | array of field values |
/// | everything else (`inet`, `cidr`, `money`, ranges, geometric, bit strings, …) | PostgreSQL's text form |
/// | `NULL` | `null` |
///
/// The last row is why decoding may take extra round trips: the binary forms of those types are
/// rendered by the server's own output functions (one `format('%s', …)` over `unnest($1)` per type in the result),
/// so their text is exactly what `psql` shows, locale-dependent `money` included.
struct PostgresResultDecoder {
    let catalog: PostgresTypeCatalog

    func decode(
        columns: [PostgresColumn],
        rows: [PostgresRow],
        using run: PostgresStatementRunner
    ) async throws -> (columns: [ColumnInfo], rows: [[JSONValue]]) {
        let columnTypes = columns.map { UInt32($0.dataType.rawValue) }
        try await self.catalog.load(columnTypes, using: run)
        var attempts = 0
        while true {
            attempts += 1
            var decoder = PostgresValueDecoder(catalog: self.catalog)
            var values: [[JSONValue]] = []
            values.reserveCapacity(rows.count)
            for (rowIndex, row) in rows.enumerated() {
                var decodedRow: [JSONValue] = []
                decodedRow.reserveCapacity(columnTypes.count)
                for (columnIndex, cell) in row.enumerated() {
                    decodedRow.append(
                        try decoder.decode(type: UInt32(cell.dataType.rawValue), bytes: cell.bytes, path: [rowIndex, columnIndex])
                    )
                }
                values.append(decodedRow)
            }
            if !decoder.missingTypes.isEmpty, attempts < 4 {
                try await self.catalog.load(decoder.missingTypes, using: run)
                continue
            }
            try await self.fillServerText(decoder.pendingText, into: &values, using: run)
            let infos = zip(columns, columnTypes).map { column, type in
                ColumnInfo(name: column.name, type: self.catalog.displayName(type))
            }
            return (infos, values)
        }
    }

    /// Asks the server for the text form of values only it can render, one statement per type.
    private func fillServerText(
        _ pending: [PostgresValueDecoder.PendingText],
        into values: inout [[JSONValue]],
        using run: PostgresStatementRunner
    ) async throws {
        guard !pending.isEmpty else { return }
        let byType = Dictionary(grouping: pending, by: \.type)
        for (type, items) in byType.sorted(by: { $0.key < $1.key }) {
            let texts: [String]
            if case .serverText(let arrayType) = self.catalog.info(type)?.decoding, arrayType != 0 {
                var binds = PostgresBindings()
                binds.append(BinaryArrayBind(arrayType: arrayType, elementType: type, elements: items.map(\.bytes)))
                let rows = try await run.rows(
                    PostgresQuery(
                        unsafeSQL: "SELECT pg_catalog.format('%s', u.v) FROM unnest($1) WITH ORDINALITY AS u(v, i) ORDER BY u.i",
                        binds: binds
                    )
                )
                texts = try rows.map { try $0.decode(String.self) }
            } else {
                var collected: [String] = []
                for item in items {
                    var binds = PostgresBindings()
                    binds.append(RawBinaryBind(type: type, bytes: item.bytes))
                    let rows = try await run.rows(PostgresQuery(unsafeSQL: "SELECT pg_catalog.format('%s', $1)", binds: binds))
                    collected.append(try rows.first?.decode(String.self) ?? "")
                }
                texts = collected
            }
            guard texts.count == items.count else {
                throw PostgresValueDecoder.Malformed(typeName: self.catalog.displayName(type))
            }
            for (item, text) in zip(items, texts) {
                values.replace(at: item.path, with: .string(text))
            }
        }
    }
}

extension [[JSONValue]] {
    /// Replaces the value at `[row, column, index…]`.
    fileprivate mutating func replace(at path: [Int], with value: JSONValue) {
        guard path.count >= 2 else { return }
        self[path[0]][path[1]] = self[path[0]][path[1]].replacing(at: path.dropFirst(2), with: value)
    }
}

extension JSONValue {
    fileprivate func replacing(at path: ArraySlice<Int>, with value: JSONValue) -> JSONValue {
        guard let index = path.first else { return value }
        guard case .array(var items) = self, items.indices.contains(index) else { return self }
        items[index] = items[index].replacing(at: path.dropFirst(), with: value)
        return .array(items)
    }
}

/// A value already in PostgreSQL's binary form, sent back with its own type.
struct RawBinaryBind: PostgresDynamicTypeEncodable {
    var type: UInt32
    var bytes: ByteBuffer

    var psqlType: PostgresDataType { PostgresDataType(self.type) }
    var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        var copy = self.bytes
        byteBuffer.writeBuffer(&copy)
    }
}

/// A one-dimensional array, in `array_recv`'s binary form, of values already in binary form.
struct BinaryArrayBind: PostgresDynamicTypeEncodable {
    var arrayType: UInt32
    var elementType: UInt32
    var elements: [ByteBuffer]

    var psqlType: PostgresDataType { PostgresDataType(self.arrayType) }
    var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        byteBuffer.writeMultipleIntegers(Int32(1), Int32(0), self.elementType, Int32(self.elements.count), Int32(1))
        for element in self.elements {
            var copy = element
            byteBuffer.writeInteger(Int32(copy.readableBytes))
            byteBuffer.writeBuffer(&copy)
        }
    }
}
