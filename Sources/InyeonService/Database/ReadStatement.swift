import Foundation
import NIOCore
import PostgresNIO

/// One read for `Database.read`: its SQL and its parameters, already encoded in PostgreSQL's binary
/// form, so the same read can go either through libpq's pipeline (`PipelinedReads`) or through a
/// PostgresNIO connection. Written like a `PostgresQuery`: `"... WHERE id = \(id)"` binds `id` as `$1`.
public struct ReadStatement: Sendable, ExpressibleByStringInterpolation {
    public var sql: String
    public private(set) var parameters: [Parameter]

    /// A parameter as PostgreSQL receives it: its type, its format and its bytes (nil for NULL).
    public struct Parameter: Sendable, Equatable {
        public var type: PostgresDataType
        public var format: PostgresFormat
        public var bytes: ByteBuffer?
    }

    public init(sql: String) {
        self.sql = sql
        self.parameters = []
    }

    public init(stringLiteral value: String) {
        self.init(sql: value)
    }

    public init(stringInterpolation: StringInterpolation) {
        self.sql = stringInterpolation.sql
        self.parameters = stringInterpolation.statement.parameters
    }

    /// Appends `value` as the next parameter and returns its placeholder (`$1`, `$2`, ...).
    @discardableResult
    public mutating func bind<Value: PostgresNonThrowingEncodable>(_ value: Value?) -> String {
        guard let value else {
            parameters.append(Parameter(type: Value.psqlType, format: Value.psqlFormat, bytes: nil))
            return "$\(parameters.count)"
        }
        var bytes = ByteBuffer()
        value.encode(into: &bytes, context: .default)
        parameters.append(Parameter(type: Value.psqlType, format: Value.psqlFormat, bytes: bytes))
        return "$\(parameters.count)"
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var sql = ""
        var statement = ReadStatement(sql: "")

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + 3 * interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) { sql += literal }

        public mutating func appendInterpolation<Value: PostgresNonThrowingEncodable>(_ value: Value?) {
            sql += statement.bind(value)
        }
    }

    /// The same read as PostgresNIO sends it.
    var postgresQuery: PostgresQuery {
        var binds = PostgresBindings(capacity: parameters.count)
        for parameter in parameters {
            if parameter.bytes == nil { binds.appendNull() } else { binds.append(EncodedParameter(parameter: parameter)) }
        }
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }

    /// A parameter already in its wire form, written as it is.
    private struct EncodedParameter: PostgresDynamicTypeEncodable {
        var parameter: Parameter
        var psqlType: PostgresDataType { parameter.type }
        var psqlFormat: PostgresFormat { parameter.format }

        func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
            if var bytes = parameter.bytes { byteBuffer.writeBuffer(&bytes) }
        }
    }
}

/// One row of a read, its cells decoded with PostgresNIO's decoders.
public struct DatabaseRow: Sendable {
    public var cells: [PostgresCell]

    public init(cells: [PostgresCell]) {
        self.cells = cells
    }

    public init(_ row: PostgresRow) {
        self.cells = Array(row)
    }

    /// The row's cells decoded as the given column types, in order.
    public func decode<each Column: PostgresDecodable>(_ columnType: (repeat each Column).Type) throws -> (repeat each Column) {
        var index = 0
        func next<Value: PostgresDecodable>(_ type: Value.Type) throws -> Value {
            defer { index += 1 }
            guard index < cells.count else {
                throw DatabaseRowShapeError(description: "the row has \(cells.count) columns; more were asked for")
            }
            return try cells[index].decode(Value.self, context: .default)
        }
        return (repeat try next((each Column).self))
    }
}

/// A row decoded as more columns than it has.
public struct DatabaseRowShapeError: Error, CustomStringConvertible {
    public var description: String
}
