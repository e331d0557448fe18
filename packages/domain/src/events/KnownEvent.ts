import { Schema } from "effect"
import { ConnectionEvent } from "./ConnectionEvent.js"
import { ConversionEvent } from "./ConversionEvent.js"
import { ElicitationEvent } from "./ElicitationEvent.js"
import type { KnownEventType } from "./EventType.js"
import { IdentifyEvent } from "./IdentifyEvent.js"
import { PromptUsageEvent } from "./PromptUsageEvent.js"
import { ResourceAccessEvent } from "./ResourceAccessEvent.js"
import { SamplingCallEvent } from "./SamplingCallEvent.js"
import { StepEvent } from "./StepEvent.js"
import { ToolCallEvent } from "./ToolCallEvent.js"
import { ToolDiscoveryEvent } from "./ToolDiscoveryEvent.js"
import { TrackEvent } from "./TrackEvent.js"
import { WidgetClickEvent } from "./WidgetClickEvent.js"
import { WidgetErrorEvent } from "./WidgetErrorEvent.js"
import { WidgetFocusEvent } from "./WidgetFocusEvent.js"
import { WidgetFormFieldEvent } from "./WidgetFormFieldEvent.js"
import { WidgetFormSubmitEvent } from "./WidgetFormSubmitEvent.js"
import { WidgetLinkClickEvent } from "./WidgetLinkClickEvent.js"
import { WidgetNavigationEvent } from "./WidgetNavigationEvent.js"
import { WidgetPerformanceEvent } from "./WidgetPerformanceEvent.js"
import { WidgetRageClickEvent } from "./WidgetRageClickEvent.js"
import { WidgetRenderEvent } from "./WidgetRenderEvent.js"
import { WidgetResponseEvent } from "./WidgetResponseEvent.js"
import { WidgetScrollEvent } from "./WidgetScrollEvent.js"
import { WidgetVisibilityEvent } from "./WidgetVisibilityEvent.js"

/** The schema of each known event type; the type checker pins every key to its schema's literal. */
export const KnownEventSchemas = {
  tool_call: ToolCallEvent,
  connection: ConnectionEvent,
  tool_discovery: ToolDiscoveryEvent,
  resource_access: ResourceAccessEvent,
  prompt_usage: PromptUsageEvent,
  sampling_call: SamplingCallEvent,
  elicitation: ElicitationEvent,
  widget_response: WidgetResponseEvent,
  step: StepEvent,
  track: TrackEvent,
  conversion: ConversionEvent,
  identify: IdentifyEvent,
  widget_render: WidgetRenderEvent,
  widget_error: WidgetErrorEvent,
  widget_visibility: WidgetVisibilityEvent,
  widget_click: WidgetClickEvent,
  widget_rage_click: WidgetRageClickEvent,
  widget_scroll: WidgetScrollEvent,
  widget_form_field: WidgetFormFieldEvent,
  widget_form_submit: WidgetFormSubmitEvent,
  widget_link_click: WidgetLinkClickEvent,
  widget_navigation: WidgetNavigationEvent,
  widget_focus: WidgetFocusEvent,
  widget_performance: WidgetPerformanceEvent,
} as const satisfies { readonly [K in KnownEventType]: { readonly Type: { readonly event_type: K } } }

/** Every known event type, discriminated on `event_type` (members in `KNOWN_EVENT_TYPES` order, pinned by a test). */
export const KnownEvent = Schema.Union(
  ToolCallEvent,
  ConnectionEvent,
  ToolDiscoveryEvent,
  ResourceAccessEvent,
  PromptUsageEvent,
  SamplingCallEvent,
  ElicitationEvent,
  WidgetResponseEvent,
  StepEvent,
  TrackEvent,
  ConversionEvent,
  IdentifyEvent,
  WidgetRenderEvent,
  WidgetErrorEvent,
  WidgetVisibilityEvent,
  WidgetClickEvent,
  WidgetRageClickEvent,
  WidgetScrollEvent,
  WidgetFormFieldEvent,
  WidgetFormSubmitEvent,
  WidgetLinkClickEvent,
  WidgetNavigationEvent,
  WidgetFocusEvent,
  WidgetPerformanceEvent,
)
export type KnownEvent = typeof KnownEvent.Type
