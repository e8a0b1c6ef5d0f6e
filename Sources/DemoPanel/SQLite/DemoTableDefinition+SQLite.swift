import AnalyticsCore

extension DemoTableDefinition {
    /// `CREATE TABLE` with the primary key (a rowid alias) and foreign keys declared inline, since
    /// SQLite cannot add constraints later.
    func sqliteCreateTable() throws -> String {
        var parts = try self.columns.map { column in
            let key = column.name == self.primaryKey ? " PRIMARY KEY" : ""
            return "\(try SQLIdentifier.quote(column.name)) \(column.sqliteType) NOT NULL\(key)"
        }
        for foreignKey in self.foreignKeys {
            parts.append(
                "CONSTRAINT \(try SQLIdentifier.quote(foreignKey.name)) FOREIGN KEY (\(try SQLIdentifier.quote(foreignKey.column))) "
                    + "REFERENCES \(try SQLIdentifier.quote(foreignKey.referencedTable)) (\(try SQLIdentifier.quote(foreignKey.referencedColumn)))"
            )
        }
        return "CREATE TABLE \(try SQLIdentifier.quote(self.name)) (\(parts.joined(separator: ", ")))"
    }

    /// `INSERT` with one `?` per column, in column order.
    func sqliteInsert() throws -> String {
        let names = try self.columns.map { try SQLIdentifier.quote($0.name) }.joined(separator: ", ")
        let marks = Array(repeating: "?", count: self.columns.count).joined(separator: ", ")
        return "INSERT INTO \(try SQLIdentifier.quote(self.name)) (\(names)) VALUES (\(marks))"
    }

    func sqliteCreateIndexes() throws -> [String] {
        try self.indexes.map { index in
            let columns = try index.columns.map(SQLIdentifier.quote).joined(separator: ", ")
            return "CREATE INDEX \(try SQLIdentifier.quote(index.name)) ON \(try SQLIdentifier.quote(self.name)) (\(columns))"
        }
    }
}
