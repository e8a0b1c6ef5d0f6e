import AnalyticsCore
import NIOCore
import PostgresNIO

/// Turns `$1…` bind values into PostgreSQL parameters.
///
/// Booleans, integers and doubles go as typed binary parameters (`bool`, `int8`, `float8`).
/// Strings, exact decimals and JSON documents go as *untyped* text, exactly as `psql` sends
/// literals: the server infers each parameter's type from where it is used, so `$1` can be a date
/// (`d >= $1`), a numeric, a `jsonb` or an enum value without the caller naming the type.
enum PostgresBindEncoder {
    static func bindings(_ values: [JSONValue]) throws -> PostgresBindings {
        guard values.count <= Int(UInt16.max) else {
            throw AnalyticsError.invalidRequest("A query may bind at most \(UInt16.max) parameters, got \(values.count).")
        }
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .null: bindings.appendNull()
            case .bool(let bool): bindings.append(bool)
            case .int(let int): bindings.append(int)
            case .double(let double): bindings.append(double)
            case .number(let literal): bindings.append(UntypedTextBind(text: literal))
            case .string(let text): bindings.append(UntypedTextBind(text: text))
            case .array, .object: bindings.append(UntypedTextBind(text: value.serialized()))
            }
        }
        return bindings
    }
}

/// A text parameter of unspecified type (OID 0), typed by the server from context.
struct UntypedTextBind: PostgresDynamicTypeEncodable {
    var text: String

    var psqlType: PostgresDataType { PostgresDataType(0) }
    var psqlFormat: PostgresFormat { .text }

    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        byteBuffer.writeString(self.text)
    }
}
