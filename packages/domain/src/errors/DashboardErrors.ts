import { YavioError } from "./YavioError.js"

// Errors of the dashboard services (accounts, analytics, live feed, billing), one class per code of error-codes.md 3000–3999.

export class SessionExpired extends YavioError<SessionExpired>()("SessionExpired", "YAVIO-3000") {}
export class InvalidCredentials extends YavioError<InvalidCredentials>()(
  "InvalidCredentials",
  "YAVIO-3001",
) {}
export class EmailNotVerified extends YavioError<EmailNotVerified>()("EmailNotVerified", "YAVIO-3002") {}
export class AccountLocked extends YavioError<AccountLocked>()("AccountLocked", "YAVIO-3003") {}
export class AccountLockedEscalated extends YavioError<AccountLockedEscalated>()(
  "AccountLockedEscalated",
  "YAVIO-3004",
) {}
export class AccountLockedCaptcha extends YavioError<AccountLockedCaptcha>()(
  "AccountLockedCaptcha",
  "YAVIO-3005",
) {}
export class InvalidPasswordResetToken extends YavioError<InvalidPasswordResetToken>()(
  "InvalidPasswordResetToken",
  "YAVIO-3006",
) {}
export class InvalidEmailVerificationToken extends YavioError<InvalidEmailVerificationToken>()(
  "InvalidEmailVerificationToken",
  "YAVIO-3007",
) {}
export class InvalidInviteToken extends YavioError<InvalidInviteToken>()(
  "InvalidInviteToken",
  "YAVIO-3008",
) {}
export class OauthError extends YavioError<OauthError>()("OauthError", "YAVIO-3009") {}
export class CsrfValidationFailed extends YavioError<CsrfValidationFailed>()(
  "CsrfValidationFailed",
  "YAVIO-3010",
) {}
export class OriginValidationFailed extends YavioError<OriginValidationFailed>()(
  "OriginValidationFailed",
  "YAVIO-3011",
) {}
export class InsufficientRole extends YavioError<InsufficientRole>()("InsufficientRole", "YAVIO-3100") {}
export class WorkspaceOwnerCannotBeRemoved extends YavioError<WorkspaceOwnerCannotBeRemoved>()(
  "WorkspaceOwnerCannotBeRemoved",
  "YAVIO-3101",
) {}
export class NotAWorkspaceMember extends YavioError<NotAWorkspaceMember>()(
  "NotAWorkspaceMember",
  "YAVIO-3102",
) {}
export class ViewerExportDenied extends YavioError<ViewerExportDenied>()(
  "ViewerExportDenied",
  "YAVIO-3103",
) {}
export class WorkspaceSlugAlreadyExists extends YavioError<WorkspaceSlugAlreadyExists>()(
  "WorkspaceSlugAlreadyExists",
  "YAVIO-3150",
) {}
export class WorkspaceNotFound extends YavioError<WorkspaceNotFound>()("WorkspaceNotFound", "YAVIO-3151") {}
export class ProjectSlugAlreadyExists extends YavioError<ProjectSlugAlreadyExists>()(
  "ProjectSlugAlreadyExists",
  "YAVIO-3152",
) {}
export class ProjectNotFound extends YavioError<ProjectNotFound>()("ProjectNotFound", "YAVIO-3153") {}
export class InvalidWorkspaceName extends YavioError<InvalidWorkspaceName>()(
  "InvalidWorkspaceName",
  "YAVIO-3154",
) {}
export class InvalidProjectName extends YavioError<InvalidProjectName>()(
  "InvalidProjectName",
  "YAVIO-3155",
) {}
export class InvalidSlugFormat extends YavioError<InvalidSlugFormat>()("InvalidSlugFormat", "YAVIO-3156") {}
export class ApiKeyNotFound extends YavioError<ApiKeyNotFound>()("ApiKeyNotFound", "YAVIO-3250") {}
export class ApiKeyAlreadyRevoked extends YavioError<ApiKeyAlreadyRevoked>()(
  "ApiKeyAlreadyRevoked",
  "YAVIO-3251",
) {}
export class InvalidKeyName extends YavioError<InvalidKeyName>()("InvalidKeyName", "YAVIO-3252") {}
export class InvalidGracePeriod extends YavioError<InvalidGracePeriod>()(
  "InvalidGracePeriod",
  "YAVIO-3253",
) {}
export class MemberNotFound extends YavioError<MemberNotFound>()("MemberNotFound", "YAVIO-3300") {}
export class UserAlreadyAMember extends YavioError<UserAlreadyAMember>()(
  "UserAlreadyAMember",
  "YAVIO-3301",
) {}
export class InvitationAlreadyPending extends YavioError<InvitationAlreadyPending>()(
  "InvitationAlreadyPending",
  "YAVIO-3302",
) {}
export class InvalidRole extends YavioError<InvalidRole>()("InvalidRole", "YAVIO-3303") {}
export class InvitationNotFound extends YavioError<InvitationNotFound>()(
  "InvitationNotFound",
  "YAVIO-3304",
) {}
export class InvalidTimeRange extends YavioError<InvalidTimeRange>()("InvalidTimeRange", "YAVIO-3400") {}
export class InvalidGranularity extends YavioError<InvalidGranularity>()(
  "InvalidGranularity",
  "YAVIO-3401",
) {}
export class InvalidPlatformFilter extends YavioError<InvalidPlatformFilter>()(
  "InvalidPlatformFilter",
  "YAVIO-3402",
) {}
export class InvalidPagination extends YavioError<InvalidPagination>()("InvalidPagination", "YAVIO-3403") {}
export class InvalidSortParameter extends YavioError<InvalidSortParameter>()(
  "InvalidSortParameter",
  "YAVIO-3404",
) {}
export class AnalyticsQueryTimeout extends YavioError<AnalyticsQueryTimeout>()(
  "AnalyticsQueryTimeout",
  "YAVIO-3405",
) {}
export class AnalyticsClickhouseUnavailable extends YavioError<AnalyticsClickhouseUnavailable>()(
  "AnalyticsClickhouseUnavailable",
  "YAVIO-3406",
) {}
export class AnalyticsQueryRejected extends YavioError<AnalyticsQueryRejected>()(
  "AnalyticsQueryRejected",
  "YAVIO-3407",
) {}
export class SseConnectionLimitExceeded extends YavioError<SseConnectionLimitExceeded>()(
  "SseConnectionLimitExceeded",
  "YAVIO-3500",
) {}
export class LiveFeedUnavailable extends YavioError<LiveFeedUnavailable>()(
  "LiveFeedUnavailable",
  "YAVIO-3501",
) {}
export class BillingNotAvailable extends YavioError<BillingNotAvailable>()(
  "BillingNotAvailable",
  "YAVIO-3600",
) {}
export class InvalidSpendingCap extends YavioError<InvalidSpendingCap>()(
  "InvalidSpendingCap",
  "YAVIO-3601",
) {}
export class StripeCheckoutCreationFailed extends YavioError<StripeCheckoutCreationFailed>()(
  "StripeCheckoutCreationFailed",
  "YAVIO-3602",
) {}
export class StripeWebhookSignatureInvalid extends YavioError<StripeWebhookSignatureInvalid>()(
  "StripeWebhookSignatureInvalid",
  "YAVIO-3603",
) {}
export class PaymentPastDue extends YavioError<PaymentPastDue>()("PaymentPastDue", "YAVIO-3604") {}
export class NoActiveSubscription extends YavioError<NoActiveSubscription>()(
  "NoActiveSubscription",
  "YAVIO-3605",
) {}
export class TierLimitExceeded extends YavioError<TierLimitExceeded>()("TierLimitExceeded", "YAVIO-3606") {}
export class AccountDeletionRequiresPassword extends YavioError<AccountDeletionRequiresPassword>()(
  "AccountDeletionRequiresPassword",
  "YAVIO-3700",
) {}
export class InvalidPassword extends YavioError<InvalidPassword>()("InvalidPassword", "YAVIO-3701") {}
export class EmailAlreadyRegistered extends YavioError<EmailAlreadyRegistered>()(
  "EmailAlreadyRegistered",
  "YAVIO-3702",
) {}
export class PasswordTooWeak extends YavioError<PasswordTooWeak>()("PasswordTooWeak", "YAVIO-3703") {}
export class AuthRouteRateLimited extends YavioError<AuthRouteRateLimited>()(
  "AuthRouteRateLimited",
  "YAVIO-3800",
) {}
export class AnalyticsQueryRateLimited extends YavioError<AnalyticsQueryRateLimited>()(
  "AnalyticsQueryRateLimited",
  "YAVIO-3801",
) {}
export class ManagementRouteRateLimited extends YavioError<ManagementRouteRateLimited>()(
  "ManagementRouteRateLimited",
  "YAVIO-3802",
) {}
export class BillingRouteRateLimited extends YavioError<BillingRouteRateLimited>()(
  "BillingRouteRateLimited",
  "YAVIO-3803",
) {}
export class InternalDashboardError extends YavioError<InternalDashboardError>()(
  "InternalDashboardError",
  "YAVIO-3999",
) {}
