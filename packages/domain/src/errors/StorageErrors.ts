import { YavioError } from "./YavioError.js"

// Errors of PostgreSQL and ClickHouse, one class per code of error-codes.md 5000–5999.

export class ClickhouseConnectionRefused extends YavioError<ClickhouseConnectionRefused>()(
  "ClickhouseConnectionRefused",
  "YAVIO-5000",
) {}
export class ClickhouseQueryTimeout extends YavioError<ClickhouseQueryTimeout>()(
  "ClickhouseQueryTimeout",
  "YAVIO-5001",
) {}
export class ClickhouseInsertFailed extends YavioError<ClickhouseInsertFailed>()(
  "ClickhouseInsertFailed",
  "YAVIO-5002",
) {}
export class ClickhouseSchemaMismatch extends YavioError<ClickhouseSchemaMismatch>()(
  "ClickhouseSchemaMismatch",
  "YAVIO-5003",
) {}
export class ClickhouseDiskUsageHigh extends YavioError<ClickhouseDiskUsageHigh>()(
  "ClickhouseDiskUsageHigh",
  "YAVIO-5004",
) {}
export class ClickhouseMergeFailed extends YavioError<ClickhouseMergeFailed>()(
  "ClickhouseMergeFailed",
  "YAVIO-5005",
) {}
export class ClickhouseRowPolicyViolation extends YavioError<ClickhouseRowPolicyViolation>()(
  "ClickhouseRowPolicyViolation",
  "YAVIO-5006",
) {}
export class ClickhouseMigrationFailed extends YavioError<ClickhouseMigrationFailed>()(
  "ClickhouseMigrationFailed",
  "YAVIO-5007",
) {}
export class PostgresConnectionRefused extends YavioError<PostgresConnectionRefused>()(
  "PostgresConnectionRefused",
  "YAVIO-5200",
) {}
export class PostgresQueryFailed extends YavioError<PostgresQueryFailed>()(
  "PostgresQueryFailed",
  "YAVIO-5201",
) {}
export class PostgresUniqueViolation extends YavioError<PostgresUniqueViolation>()(
  "PostgresUniqueViolation",
  "YAVIO-5202",
) {}
export class PostgresForeignKeyViolation extends YavioError<PostgresForeignKeyViolation>()(
  "PostgresForeignKeyViolation",
  "YAVIO-5203",
) {}
export class PostgresRlsViolation extends YavioError<PostgresRlsViolation>()(
  "PostgresRlsViolation",
  "YAVIO-5204",
) {}
export class PostgresMigrationFailed extends YavioError<PostgresMigrationFailed>()(
  "PostgresMigrationFailed",
  "YAVIO-5205",
) {}
export class PostgresConnectionPoolExhausted extends YavioError<PostgresConnectionPoolExhausted>()(
  "PostgresConnectionPoolExhausted",
  "YAVIO-5206",
) {}
export class PostgresDeadlock extends YavioError<PostgresDeadlock>()("PostgresDeadlock", "YAVIO-5207") {}
export class PostgresDiskUsageHigh extends YavioError<PostgresDiskUsageHigh>()(
  "PostgresDiskUsageHigh",
  "YAVIO-5208",
) {}
