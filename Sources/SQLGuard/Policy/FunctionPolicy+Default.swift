extension FunctionPolicy {
    /// The reviewed deny list.
    ///
    /// Review (PostgreSQL 15.x, `pg_proc` of a fresh cluster): every volatile function in
    /// `pg_catalog`, every function taking SQL text or a cursor, and the well-known functions of
    /// contrib extensions a dataset may have installed (adminpack, dblink, pg_stat_statements,
    /// pg_visibility, pg_surgery, tablefunc) were read one by one. Refused: anything that touches server files,
    /// large objects, other databases, backends, WAL, replication or catalogs; that changes state
    /// pooled connections share (`set_config`, `setseed`); that advances sequences, takes advisory
    /// locks, notifies, assigns a transaction id, resets statistics or runs SQL text
    /// (`query_to_xml` family, `ts_stat`, `ts_rewrite`, whose text-taking form runs a query and
    /// whose three-tsquery form goes with it, tablefunc's `crosstab*` and `connectby`): SQL run
    /// from text would escape every check made here.
    ///
    /// Deliberately allowed: `pg_sleep*` (the statement timeout bounds it), `random`,
    /// `gen_random_uuid`, `clock_timestamp`, `currval`/`lastval` (read only), `pg_export_snapshot`,
    /// `pg_stat_clear_snapshot`/`pg_stat_force_next_flush` (local to the backend), size and
    /// catalog-inspection functions (`pg_relation_size`, `pg_get_*`, `pg_stat_get_*`,
    /// `pg_control_*`, `pg_lock_status`, `current_setting`), whose reach the dataset login's
    /// privileges already bound. Trigger, handler and `internal`-argument functions cannot be called
    /// from a `SELECT` at all; the PL/pgSQL handlers are listed anyway.
    ///
    /// No refused function takes a composite, `record` or polymorphic argument, so none can be
    /// reached as `alias.function` (PostgreSQL's whole-row attribute notation); `(expr).function`
    /// can reach them and the guard checks it, so a composite field selected as `(row).name` under
    /// a denied name is refused as well.
    public static let `default` = FunctionPolicy(rules: defaultRules)

    private static let defaultRules: [Rule] = [
        // Server file access (core and adminpack).
        .prefix("pg_read_", .serverFiles),  // pg_read_file, pg_read_binary_file, pg_read_file_old
        .prefix("pg_ls_", .serverFiles),  // pg_ls_dir, _logdir, _waldir, _tmpdir, _archive_statusdir, _logicalsnapdir, _logicalmapdir, _replslotdir
        .exact("pg_stat_file", .serverFiles),
        .exact("pg_current_logfile", .serverFiles),
        .exact("pg_hba_file_rules", .serverFiles),
        .exact("pg_ident_file_mappings", .serverFiles),
        .exact("pg_show_all_file_settings", .serverFiles),
        .prefix("pg_file_", .serverFiles),  // adminpack: pg_file_write, _rename, _unlink, _sync, _settings
        .exact("pg_logdir_ls", .serverFiles),
        // Large objects.
        .prefix("lo_", .largeObjects),  // lo_import, lo_export, lo_get, lo_put, lo_open, lo_unlink, lo_from_bytea, …
        .exact("loread", .largeObjects),
        .exact("lowrite", .largeObjects),
        // Other databases.
        .prefix("dblink", .remoteDatabases),
        // Backends, WAL, replication, configuration.
        .exact("pg_terminate_backend", .backendControl),
        .exact("pg_cancel_backend", .backendControl),
        .exact("pg_reload_conf", .backendControl),
        .prefix("pg_rotate_logfile", .backendControl),
        .exact("pg_switch_wal", .backendControl),
        .exact("pg_switch_xlog", .backendControl),
        .exact("pg_promote", .backendControl),
        .exact("pg_create_restore_point", .backendControl),
        .prefix("pg_backup_", .backendControl),
        .exact("pg_start_backup", .backendControl),
        .exact("pg_stop_backup", .backendControl),
        .prefix("pg_wal_replay_", .backendControl),  // pg_wal_replay_pause, pg_wal_replay_resume
        .exact("pg_log_backend_memory_contexts", .backendControl),
        .exact("pg_create_physical_replication_slot", .backendControl),
        .exact("pg_create_logical_replication_slot", .backendControl),
        .exact("pg_copy_physical_replication_slot", .backendControl),
        .exact("pg_copy_logical_replication_slot", .backendControl),
        .exact("pg_drop_replication_slot", .backendControl),
        .exact("pg_replication_slot_advance", .backendControl),
        .prefix("pg_logical_slot_", .backendControl),  // get/peek changes consume or hold slots
        .prefix("pg_replication_origin_", .backendControl),
        .exact("pg_logical_emit_message", .backendControl),
        // Session state that would leak into the next query on a pooled connection.
        .exact("set_config", .sessionState),
        .exact("setseed", .sessionState),
        // Sequences.
        .exact("nextval", .sequences),
        .exact("setval", .sequences),
        // Advisory locks.
        .prefix("pg_advisory_", .advisoryLocks),
        .prefix("pg_try_advisory_", .advisoryLocks),
        // Notifications.
        .exact("pg_notify", .notifications),
        // Functions that run SQL text or read whole tables behind the planner's back.
        .prefix("query_to_xml", .executesSQLText),  // query_to_xml, query_to_xml_and_xmlschema, query_to_xmlschema
        .prefix("cursor_to_xml", .executesSQLText),
        .prefix("table_to_xml", .executesSQLText),
        .prefix("schema_to_xml", .executesSQLText),
        .prefix("database_to_xml", .executesSQLText),
        .exact("ts_stat", .executesSQLText),
        .exact("ts_rewrite", .executesSQLText),
        .prefix("plpgsql_", .executesSQLText),  // call, inline (DO) and validator handlers
        .prefix("crosstab", .executesSQLText),  // tablefunc: crosstab, crosstab2-4 run their SQL text arguments
        .exact("connectby", .executesSQLText),  // tablefunc: builds and runs a query from text arguments
        // Transaction ids: txid_current and pg_current_xact_id assign one even in a read-only query.
        .prefix("txid_", .transactionIDs),
        .prefix("pg_current_xact_id", .transactionIDs),
        // Statistics.
        .prefix("pg_stat_reset", .statistics),
        .exact("pg_stat_statements_reset", .statistics),
        // Catalog and index changes.
        .exact("pg_import_system_collations", .catalogChanges),
        .exact("pg_extension_config_dump", .catalogChanges),
        .exact("pg_nextoid", .catalogChanges),
        .exact("pg_stop_making_pinned_objects", .catalogChanges),
        .prefix("binary_upgrade_", .catalogChanges),
        .exact("brin_summarize_new_values", .catalogChanges),
        .exact("brin_summarize_range", .catalogChanges),
        .exact("brin_desummarize_range", .catalogChanges),
        .exact("gin_clean_pending_list", .catalogChanges),
        .exact("pg_truncate_visibility_map", .catalogChanges),
        .exact("heap_force_kill", .catalogChanges),
        .exact("heap_force_freeze", .catalogChanges),
    ]
}
