import { YavioError } from "./YavioError.js"

// Errors of the ingestion API (`POST /v1/events`, `POST /v1/widget-tokens`), one class per code of error-codes.md 2000–2999.

export class MissingAuthorizationHeader extends YavioError<MissingAuthorizationHeader>()(
  "MissingAuthorizationHeader",
  "YAVIO-2000",
) {}
export class InvalidApiKey extends YavioError<InvalidApiKey>()("InvalidApiKey", "YAVIO-2001") {}
export class ApiKeyExpired extends YavioError<ApiKeyExpired>()("ApiKeyExpired", "YAVIO-2002") {}
export class ApiKeyRevoked extends YavioError<ApiKeyRevoked>()("ApiKeyRevoked", "YAVIO-2003") {}
export class InvalidWidgetJwt extends YavioError<InvalidWidgetJwt>()("InvalidWidgetJwt", "YAVIO-2004") {}
export class WidgetJwtExpired extends YavioError<WidgetJwtExpired>()("WidgetJwtExpired", "YAVIO-2005") {}
export class MalformedBearerToken extends YavioError<MalformedBearerToken>()(
  "MalformedBearerToken",
  "YAVIO-2006",
) {}
export class ApiKeyRateLimitExceeded extends YavioError<ApiKeyRateLimitExceeded>()(
  "ApiKeyRateLimitExceeded",
  "YAVIO-2050",
) {}
export class ApiKeyBurstLimitExceeded extends YavioError<ApiKeyBurstLimitExceeded>()(
  "ApiKeyBurstLimitExceeded",
  "YAVIO-2051",
) {}
export class IpRateLimitExceeded extends YavioError<IpRateLimitExceeded>()(
  "IpRateLimitExceeded",
  "YAVIO-2052",
) {}
export class WidgetTokenRateLimitExceeded extends YavioError<WidgetTokenRateLimitExceeded>()(
  "WidgetTokenRateLimitExceeded",
  "YAVIO-2053",
) {}
export class MonthlyEventQuotaExceeded extends YavioError<MonthlyEventQuotaExceeded>()(
  "MonthlyEventQuotaExceeded",
  "YAVIO-2056",
) {}
export class EventSchemaValidationFailed extends YavioError<EventSchemaValidationFailed>()(
  "EventSchemaValidationFailed",
  "YAVIO-2100",
) {}
export class MissingRequiredField extends YavioError<MissingRequiredField>()(
  "MissingRequiredField",
  "YAVIO-2101",
) {}
export class InvalidEventType extends YavioError<InvalidEventType>()("InvalidEventType", "YAVIO-2102") {}
export class InvalidTimestampFormat extends YavioError<InvalidTimestampFormat>()(
  "InvalidTimestampFormat",
  "YAVIO-2103",
) {}
export class EventNameExceedsMaxLength extends YavioError<EventNameExceedsMaxLength>()(
  "EventNameExceedsMaxLength",
  "YAVIO-2104",
) {}
export class UserIdExceedsMaxLength extends YavioError<UserIdExceedsMaxLength>()(
  "UserIdExceedsMaxLength",
  "YAVIO-2105",
) {}
export class TraceIdExceedsMaxLength extends YavioError<TraceIdExceedsMaxLength>()(
  "TraceIdExceedsMaxLength",
  "YAVIO-2106",
) {}
export class SessionIdExceedsMaxLength extends YavioError<SessionIdExceedsMaxLength>()(
  "SessionIdExceedsMaxLength",
  "YAVIO-2107",
) {}
export class EventExceedsMaxSize extends YavioError<EventExceedsMaxSize>()(
  "EventExceedsMaxSize",
  "YAVIO-2108",
) {}
export class EmptyOrMissingRequestBody extends YavioError<EmptyOrMissingRequestBody>()(
  "EmptyOrMissingRequestBody",
  "YAVIO-2109",
) {}
export class EmptyBatchArray extends YavioError<EmptyBatchArray>()("EmptyBatchArray", "YAVIO-2110") {}
export class BatchExceedsMaxSize extends YavioError<BatchExceedsMaxSize>()(
  "BatchExceedsMaxSize",
  "YAVIO-2111",
) {}
export class WidgetTraceMismatch extends YavioError<WidgetTraceMismatch>()(
  "WidgetTraceMismatch",
  "YAVIO-2112",
) {}
export class TimestampOutsideAcceptedWindow extends YavioError<TimestampOutsideAcceptedWindow>()(
  "TimestampOutsideAcceptedWindow",
  "YAVIO-2113",
) {}
export class PiiStrippingEngineFailed extends YavioError<PiiStrippingEngineFailed>()(
  "PiiStrippingEngineFailed",
  "YAVIO-2250",
) {}
export class InvalidTraceId extends YavioError<InvalidTraceId>()("InvalidTraceId", "YAVIO-2300") {}
export class MissingSessionId extends YavioError<MissingSessionId>()("MissingSessionId", "YAVIO-2301") {}
export class WidgetTokenUnauthorized extends YavioError<WidgetTokenUnauthorized>()(
  "WidgetTokenUnauthorized",
  "YAVIO-2302",
) {}
export class WidgetTokenMintRateLimited extends YavioError<WidgetTokenMintRateLimited>()(
  "WidgetTokenMintRateLimited",
  "YAVIO-2303",
) {}
export class ClickhouseWriteRetrying extends YavioError<ClickhouseWriteRetrying>()(
  "ClickhouseWriteRetrying",
  "YAVIO-2400",
) {}
export class ClickhouseWriteFailed extends YavioError<ClickhouseWriteFailed>()(
  "ClickhouseWriteFailed",
  "YAVIO-2401",
) {}
export class Backpressure extends YavioError<Backpressure>()("Backpressure", "YAVIO-2402") {}
export class PostgresUnavailable extends YavioError<PostgresUnavailable>()(
  "PostgresUnavailable",
  "YAVIO-2403",
) {}
export class InternalIngestError extends YavioError<InternalIngestError>()(
  "InternalIngestError",
  "YAVIO-2999",
) {}
