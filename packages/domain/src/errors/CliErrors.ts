import { YavioError } from "./YavioError.js"

// Errors of `@yavio/cli`, one class per code of error-codes.md 6000–6999.

export class DockerNotFound extends YavioError<DockerNotFound>()("DockerNotFound", "YAVIO-6000") {}
export class DockerComposeNotFound extends YavioError<DockerComposeNotFound>()(
  "DockerComposeNotFound",
  "YAVIO-6001",
) {}
export class NodeVersionUnsupported extends YavioError<NodeVersionUnsupported>()(
  "NodeVersionUnsupported",
  "YAVIO-6002",
) {}
export class DockerVersionUnsupported extends YavioError<DockerVersionUnsupported>()(
  "DockerVersionUnsupported",
  "YAVIO-6003",
) {}
export class DockerComposeVersionUnsupported extends YavioError<DockerComposeVersionUnsupported>()(
  "DockerComposeVersionUnsupported",
  "YAVIO-6004",
) {}
export class InsufficientMemory extends YavioError<InsufficientMemory>()(
  "InsufficientMemory",
  "YAVIO-6005",
) {}
export class InsufficientDiskSpace extends YavioError<InsufficientDiskSpace>()(
  "InsufficientDiskSpace",
  "YAVIO-6006",
) {}
export class YaviorcNotFound extends YavioError<YaviorcNotFound>()("YaviorcNotFound", "YAVIO-6100") {}
export class InvalidYaviorc extends YavioError<InvalidYaviorc>()("InvalidYaviorc", "YAVIO-6101") {}
export class ComposeFileNotFound extends YavioError<ComposeFileNotFound>()(
  "ComposeFileNotFound",
  "YAVIO-6102",
) {}
export class CliApiKeyRejected extends YavioError<CliApiKeyRejected>()("CliApiKeyRejected", "YAVIO-6103") {}
export class IngestionApiUnreachable extends YavioError<IngestionApiUnreachable>()(
  "IngestionApiUnreachable",
  "YAVIO-6200",
) {}
export class DashboardUnreachable extends YavioError<DashboardUnreachable>()(
  "DashboardUnreachable",
  "YAVIO-6201",
) {}
export class ClickhouseUnreachable extends YavioError<ClickhouseUnreachable>()(
  "ClickhouseUnreachable",
  "YAVIO-6202",
) {}
export class PostgresUnreachable extends YavioError<PostgresUnreachable>()(
  "PostgresUnreachable",
  "YAVIO-6203",
) {}
export class DnsResolutionFailed extends YavioError<DnsResolutionFailed>()(
  "DnsResolutionFailed",
  "YAVIO-6204",
) {}
export class DashboardPortInUse extends YavioError<DashboardPortInUse>()(
  "DashboardPortInUse",
  "YAVIO-6300",
) {}
export class IngestPortInUse extends YavioError<IngestPortInUse>()("IngestPortInUse", "YAVIO-6301") {}
export class PostgresPortInUse extends YavioError<PostgresPortInUse>()("PostgresPortInUse", "YAVIO-6302") {}
export class ClickhouseHttpPortInUse extends YavioError<ClickhouseHttpPortInUse>()(
  "ClickhouseHttpPortInUse",
  "YAVIO-6303",
) {}
export class ClickhouseNativePortInUse extends YavioError<ClickhouseNativePortInUse>()(
  "ClickhouseNativePortInUse",
  "YAVIO-6304",
) {}
export class ComposeUpFailed extends YavioError<ComposeUpFailed>()("ComposeUpFailed", "YAVIO-6400") {}
export class ComposeDownFailed extends YavioError<ComposeDownFailed>()("ComposeDownFailed", "YAVIO-6401") {}
export class DockerImagePullFailed extends YavioError<DockerImagePullFailed>()(
  "DockerImagePullFailed",
  "YAVIO-6402",
) {}
export class ResetConfirmationMismatch extends YavioError<ResetConfirmationMismatch>()(
  "ResetConfirmationMismatch",
  "YAVIO-6403",
) {}
export class ServiceNotRecognized extends YavioError<ServiceNotRecognized>()(
  "ServiceNotRecognized",
  "YAVIO-6404",
) {}
export class UnexpectedCliError extends YavioError<UnexpectedCliError>()(
  "UnexpectedCliError",
  "YAVIO-6999",
) {}
