import Foundation

/// Names a parse-tree statement node the way a person would write it, for error messages.
enum StatementName {
    static func describe(_ tag: String, _ fields: ParseObject) -> String {
        switch tag {
        case "SelectStmt": return "SELECT"
        case "InsertStmt": return "INSERT"
        case "UpdateStmt": return "UPDATE"
        case "DeleteStmt": return "DELETE"
        case "MergeStmt": return "MERGE"
        case "ExplainStmt": return "EXPLAIN"
        case "CopyStmt": return "COPY"
        case "DoStmt": return "DO"
        case "VariableShowStmt": return "SHOW"
        case "DeclareCursorStmt": return "DECLARE CURSOR"
        case "ClosePortalStmt": return "CLOSE"
        case "DeallocateStmt": return "DEALLOCATE"
        case "CheckPointStmt": return "CHECKPOINT"
        case "SecLabelStmt": return "SECURITY LABEL"
        case "CommentStmt": return "COMMENT"
        case "RefreshMatViewStmt": return "REFRESH MATERIALIZED VIEW"
        case "GrantRoleStmt": return (fields["is_grant"]?.isTrue ?? false) ? "GRANT role" : "REVOKE role"
        case "GrantStmt": return (fields["is_grant"]?.isTrue ?? false) ? "GRANT" : "REVOKE"
        case "FetchStmt": return (fields["ismove"]?.isTrue ?? false) ? "MOVE" : "FETCH"
        case "VacuumStmt": return (fields["is_vacuumcmd"]?.isTrue ?? false) ? "VACUUM" : "ANALYZE"
        case "CreateTableAsStmt":
            return fields["objtype"]?.stringValue == "OBJECT_MATVIEW" ? "CREATE MATERIALIZED VIEW" : "CREATE TABLE AS"
        case "TransactionStmt":
            return Self.transaction(fields["kind"]?.stringValue)
        case "VariableSetStmt":
            return fields["kind"]?.stringValue?.hasPrefix("VAR_RESET") == true ? "RESET" : "SET"
        case "DropStmt":
            return "DROP" + Self.objectType(fields["removeType"]?.stringValue)
        case "RenameStmt":
            return "ALTER" + Self.objectType(fields["renameType"]?.stringValue) + " RENAME"
        case "AlterObjectSchemaStmt":
            return "ALTER" + Self.objectType(fields["objectType"]?.stringValue) + " SET SCHEMA"
        case "AlterOwnerStmt":
            return "ALTER" + Self.objectType(fields["objectType"]?.stringValue) + " OWNER"
        case "AlterTableStmt":
            return "ALTER" + Self.objectType(fields["objtype"]?.stringValue)
        case "DefineStmt":
            return "CREATE" + Self.objectType(fields["kind"]?.stringValue)
        default:
            return Self.words(tag)
        }
    }

    /// `CreateForeignTableStmt` → `CREATE FOREIGN TABLE`.
    private static func words(_ tag: String) -> String {
        let base = tag.hasSuffix("Stmt") ? String(tag.dropLast(4)) : tag
        var words: [String] = []
        var current = ""
        for character in base {
            if character.isUppercase, !current.isEmpty {
                words.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { words.append(current) }
        return words.joined(separator: " ").uppercased()
    }

    /// `OBJECT_FOREIGN_TABLE` → ` FOREIGN TABLE`.
    private static func objectType(_ value: String?) -> String {
        guard let value, value.hasPrefix("OBJECT_") else { return "" }
        return " " + value.dropFirst("OBJECT_".count).replacingOccurrences(of: "_", with: " ")
    }

    private static func transaction(_ kind: String?) -> String {
        switch kind {
        case "TRANS_STMT_BEGIN": "BEGIN"
        case "TRANS_STMT_START": "START TRANSACTION"
        case "TRANS_STMT_COMMIT": "COMMIT"
        case "TRANS_STMT_ROLLBACK": "ROLLBACK"
        case "TRANS_STMT_SAVEPOINT": "SAVEPOINT"
        case "TRANS_STMT_RELEASE": "RELEASE SAVEPOINT"
        case "TRANS_STMT_ROLLBACK_TO": "ROLLBACK TO SAVEPOINT"
        case "TRANS_STMT_PREPARE": "PREPARE TRANSACTION"
        case "TRANS_STMT_COMMIT_PREPARED": "COMMIT PREPARED"
        case "TRANS_STMT_ROLLBACK_PREPARED": "ROLLBACK PREPARED"
        default: "a transaction command"
        }
    }
}
