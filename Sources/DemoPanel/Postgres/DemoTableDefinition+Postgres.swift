import AnalyticsCore

extension DemoTableDefinition {
    /// `CREATE TABLE` with columns only: keys and indexes come after the rows, which loads faster.
    func postgresCreateTable(schema: String) throws -> String {
        let columns = try self.columns.map { "\(try SQLIdentifier.quote($0.name)) \($0.postgresType) NOT NULL" }
        return "CREATE TABLE \(try SQLIdentifier.quote(qualified: [schema, self.name])) (\(columns.joined(separator: ", ")))"
    }

    /// Primary key, foreign keys, then indexes, in that order (foreign keys need the referenced key).
    func postgresConstraintsAndIndexes(schema: String) throws -> [String] {
        let table = try SQLIdentifier.quote(qualified: [schema, self.name])
        var statements = [
            "ALTER TABLE \(table) ADD CONSTRAINT \(try SQLIdentifier.quote(self.name + "_pkey")) PRIMARY KEY (\(try SQLIdentifier.quote(self.primaryKey)))"
        ]
        for foreignKey in self.foreignKeys {
            statements.append(
                "ALTER TABLE \(table) ADD CONSTRAINT \(try SQLIdentifier.quote(foreignKey.name)) FOREIGN KEY (\(try SQLIdentifier.quote(foreignKey.column))) "
                    + "REFERENCES \(try SQLIdentifier.quote(qualified: [schema, foreignKey.referencedTable])) "
                    + "(\(try SQLIdentifier.quote(foreignKey.referencedColumn)))"
            )
        }
        for index in self.indexes {
            let columns = try index.columns.map(SQLIdentifier.quote).joined(separator: ", ")
            statements.append("CREATE INDEX \(try SQLIdentifier.quote(index.name)) ON \(table) (\(columns))")
        }
        return statements
    }
}
