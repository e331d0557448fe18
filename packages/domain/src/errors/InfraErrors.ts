import { YavioError } from "./YavioError.js"

// Errors of every service process (health, configuration, CORS), one class per code of error-codes.md 7000–7999.

export class HealthCheckFailed extends YavioError<HealthCheckFailed>()("HealthCheckFailed", "YAVIO-7000") {}
export class HealthCheckDependencyDegraded extends YavioError<HealthCheckDependencyDegraded>()(
  "HealthCheckDependencyDegraded",
  "YAVIO-7001",
) {}
export class HealthCheckTimeout extends YavioError<HealthCheckTimeout>()(
  "HealthCheckTimeout",
  "YAVIO-7002",
) {}
export class SentryInitializationFailed extends YavioError<SentryInitializationFailed>()(
  "SentryInitializationFailed",
  "YAVIO-7100",
) {}
export class OtelExporterConnectionFailed extends YavioError<OtelExporterConnectionFailed>()(
  "OtelExporterConnectionFailed",
  "YAVIO-7101",
) {}
export class MetricsEndpointAuthFailed extends YavioError<MetricsEndpointAuthFailed>()(
  "MetricsEndpointAuthFailed",
  "YAVIO-7102",
) {}
export class SentryEventSendFailed extends YavioError<SentryEventSendFailed>()(
  "SentryEventSendFailed",
  "YAVIO-7103",
) {}
export class LogLevelInvalid extends YavioError<LogLevelInvalid>()("LogLevelInvalid", "YAVIO-7104") {}
export class RequiredEnvMissing extends YavioError<RequiredEnvMissing>()(
  "RequiredEnvMissing",
  "YAVIO-7200",
) {}
export class InvalidEnv extends YavioError<InvalidEnv>()("InvalidEnv", "YAVIO-7201") {}
export class ContainerOomKilled extends YavioError<ContainerOomKilled>()(
  "ContainerOomKilled",
  "YAVIO-7202",
) {}
export class VolumeMountFailed extends YavioError<VolumeMountFailed>()("VolumeMountFailed", "YAVIO-7203") {}
export class TlsCertificateExpiringSoon extends YavioError<TlsCertificateExpiringSoon>()(
  "TlsCertificateExpiringSoon",
  "YAVIO-7300",
) {}
export class TlsCertificateExpired extends YavioError<TlsCertificateExpired>()(
  "TlsCertificateExpired",
  "YAVIO-7301",
) {}
export class InsecureConfigurationDetected extends YavioError<InsecureConfigurationDetected>()(
  "InsecureConfigurationDetected",
  "YAVIO-7302",
) {}
export class CorsMethodNotAllowed extends YavioError<CorsMethodNotAllowed>()(
  "CorsMethodNotAllowed",
  "YAVIO-7401",
) {}
export class UnexpectedInfrastructureError extends YavioError<UnexpectedInfrastructureError>()(
  "UnexpectedInfrastructureError",
  "YAVIO-7999",
) {}
