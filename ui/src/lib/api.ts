// The one place the UI talks to the backend. Every command is typed by the
// bindings generated from the Rust types, so a misspelt command, argument or
// field fails the type check instead of failing at run time.
import { Channel, invoke } from "@tauri-apps/api/core";
import type { AppInfo } from "./bindings/AppInfo";
import type { Candidate } from "./bindings/Candidate";
import type { CarerDetail } from "./bindings/CarerDetail";
import type { CarerInput } from "./bindings/CarerInput";
import type { CarerRow } from "./bindings/CarerRow";
import type { SheetDetail } from "./bindings/SheetDetail";
import type { ClientDetail } from "./bindings/ClientDetail";
import type { ClientInput } from "./bindings/ClientInput";
import type { ClientRow } from "./bindings/ClientRow";
import type { ErrorPayload } from "./bindings/ErrorPayload";
import type { FieldError } from "./bindings/FieldError";
import type { Finding } from "./bindings/Finding";
import type { HistoryEntry } from "./bindings/HistoryEntry";
import type { ListQuery } from "./bindings/ListQuery";
import type { Overview } from "./bindings/Overview";
import type { PackageInput } from "./bindings/PackageInput";
import type { RollProgress } from "./bindings/RollProgress";
import type { GiveProgress } from "./bindings/GiveProgress";
import type { Skill } from "./bindings/Skill";
import type { BoardFilters } from "./bindings/BoardFilters";
import type { BoardPart } from "./bindings/BoardPart";
import type { BoardView } from "./bindings/BoardView";
import type { ClientContinuity } from "./bindings/ClientContinuity";
import type { EditOutcome } from "./bindings/EditOutcome";
import type { PlacedVisit } from "./bindings/PlacedVisit";
import type { Go } from "./bindings/Go";
import type { Reached } from "./bindings/Reached";
import type { Seek } from "./bindings/Seek";
import type { Sought } from "./bindings/Sought";
import type { Publication } from "./bindings/Publication";
import type { TellHow } from "./bindings/TellHow";
import type { ToTellRow } from "./bindings/ToTellRow";
import type { VisitEdit } from "./bindings/VisitEdit";
import type { Decision } from "./bindings/Decision";
import type { Direction } from "./bindings/Direction";
import type { Document } from "./bindings/Document";
import type { HandoverRow } from "./bindings/HandoverRow";
import type { PackStatus } from "./bindings/PackStatus";
import type { SubjectRisk } from "./bindings/SubjectRisk";
import type { AutoPlan } from "./bindings/AutoPlan";
import type { GonePast } from "./bindings/GonePast";
import type { AutoProgress } from "./bindings/AutoProgress";
import type { AutoChoice } from "./bindings/AutoChoice";
import type { AttentionGroup } from "./bindings/AttentionGroup";
import type { AttentionKind } from "./bindings/AttentionKind";
import type { AttentionOrder } from "./bindings/AttentionOrder";
import type { AutoApplied } from "./bindings/AutoApplied";
import type { RiskSubject } from "./bindings/RiskSubject";
import type { ActivityRisk } from "./bindings/ActivityRisk";
import type { VisitControl } from "./bindings/VisitControl";
import type { AssessmentInput } from "./bindings/AssessmentInput";
import type { LiveBoard } from "./bindings/LiveBoard";
import type { CallKind } from "./bindings/CallKind";
import type { Step } from "./bindings/Step";
import type { CallImport } from "./bindings/CallImport";
import type { RollOutcome } from "./bindings/RollOutcome";
import type { MadeAhead } from "./bindings/MadeAhead";
import type { Followed } from "./bindings/Followed";
import type { SameCarers } from "./bindings/SameCarers";
import type { RiskSettings } from "./bindings/RiskSettings";
import type { RiskSettingsInput } from "./bindings/RiskSettingsInput";
import type { TravelSettingsInput } from "./bindings/TravelSettingsInput";
import type { WorkingTimeSettingsInput } from "./bindings/WorkingTimeSettingsInput";
import type { HoursBeforeForm } from "./bindings/HoursBeforeForm";
import type { WeekHoursInput } from "./bindings/WeekHoursInput";
import type { TravelSettingsView } from "./bindings/TravelSettingsView";
import type { Printable } from "./bindings/Printable";
import type { FollowUpInput } from "./bindings/FollowUpInput";
import type { IncidentChoices } from "./bindings/IncidentChoices";
import type { IncidentDetail } from "./bindings/IncidentDetail";
import type { IncidentInput } from "./bindings/IncidentInput";
import type { IncidentQuery } from "./bindings/IncidentQuery";
import type { IncidentRow } from "./bindings/IncidentRow";
import type { IncidentStatus } from "./bindings/IncidentStatus";
import type { NotificationKind } from "./bindings/NotificationKind";
import type { Trends } from "./bindings/Trends";
import type { WaitingNotification } from "./bindings/WaitingNotification";
import type { OnCallSummary } from "./bindings/OnCallSummary";
import type { Roster } from "./bindings/Roster";
import type { ShiftInput } from "./bindings/ShiftInput";
import type { PatternInput } from "./bindings/PatternInput";
import type { CallEntry } from "./bindings/CallEntry";
import type { CallInput } from "./bindings/CallInput";
import type { AddendumKind } from "./bindings/AddendumKind";
import type { OffInput } from "./bindings/OffInput";
import type { Reallocation } from "./bindings/Reallocation";
import type { AppliedAll } from "./bindings/AppliedAll";
import type { SignInState } from "./bindings/SignInState";
import type { FirstStart } from "./bindings/FirstStart";
import type { ExportSummary } from "./bindings/ExportSummary";
import type { Subject } from "./bindings/Subject";
import type { ImportKind } from "./bindings/ImportKind";
import type { ImportPreview } from "./bindings/ImportPreview";
import type { ImportProgress } from "./bindings/ImportProgress";
import type { Imported } from "./bindings/Imported";
import type { ImportColumn } from "./bindings/ImportColumn";
import type { Session } from "./bindings/Session";
import type { UserInput } from "./bindings/UserInput";
import type { UserRow } from "./bindings/UserRow";
import type { BackupsOverview } from "./bindings/BackupsOverview";
import type { BackupRow } from "./bindings/BackupRow";
import type { BackupPreview } from "./bindings/BackupPreview";
import type { RestoreOutcome } from "./bindings/RestoreOutcome";

export { Channel };

type Commands = {
  app_info: [{}, AppInfo];
  overview: [{}, Overview];
  attention: [{ kind: AttentionKind; search: string; order: AttentionOrder }, AttentionGroup];
  skills: [{}, Skill[]];
  list_carers: [{ query: ListQuery }, CarerRow[]];
  carer_detail: [{ id: string }, CarerDetail];
  carer_form: [{ id: string | null }, CarerInput];
  hours_before_caredesk: [{ id: string }, HoursBeforeForm];
  save_hours_before_caredesk: [{ id: string; weeks: WeekHoursInput[] }, HoursBeforeForm];
  save_carer: [{ input: CarerInput }, string];
  list_clients: [{ query: ListQuery }, ClientRow[]];
  client_detail: [{ id: string }, ClientDetail];
  client_form: [{ id: string | null }, ClientInput];
  save_client: [{ input: ClientInput }, Followed];
  package_form: [{ id: string | null; clientId: string }, PackageInput];
  save_package: [{ input: PackageInput }, Followed];
  delete_package: [{ id: string }, Followed];
  record_history: [{ id: string }, HistoryEntry[]];
  roll_forward: [{ from: string; to: string; sameCarers: boolean; onProgress: Channel<RollProgress> }, RollOutcome];
  made_ahead: [{}, MadeAhead];
  auto_schedule: [{ date: string; days: number; seconds: number; onProgress: Channel<AutoProgress> }, AutoPlan];
  stop_auto_schedule: [{}, null];
  stop_roll_forward: [{}, null];
  auto_offers_together: [{ chosen: AutoChoice[]; offers: AutoChoice[]; ticked: boolean[] }, (string | null)[]];
  apply_auto_plan: [{ choices: AutoChoice[]; reason: string }, AutoApplied];
  give_same_carers: [{ from: string; days: number; reason: string; onProgress: Channel<GiveProgress> }, SameCarers];
  candidates: [{ visitId: string }, Candidate[]];
  give: [{ visitId: string; carerId: string; movingFrom: string | null; reason: string }, Finding[]];
  unallocate: [{ visitId: string; slot: number }, null];
  board_view: [{ day: string; days: number; filters: BoardFilters }, BoardView];
  board_part: [{ day: string; days: number; filters: BoardFilters; carers: string[]; queueFrom: number; queueTo: number }, BoardPart];
  board_visit: [{ day: string; days: number; visitId: string }, PlacedVisit | null];
  board_seek: [{ day: string; days: number; filters: BoardFilters; seek: Seek; after: string | null }, Sought | null];
  board_near: [{ day: string; days: number; filters: BoardFilters; go: Go }, Reached | null];
  prepare_board: [{ day: string }, null];
  visit_form: [{ visitId: string }, VisitEdit];
  edit_visit: [{ input: VisitEdit }, EditOutcome];
  cancel_visit: [{ visitId: string; reason: string }, null];
  reinstate_visit: [{ visitId: string }, null];
  visit_history: [{ visitId: string }, HistoryEntry[]];
  visit_gone_past: [{ visitId: string }, GonePast[]];
  publish: [{ from: string; to: string }, Publication];
  untold: [{}, ToTellRow[]];
  mark_told: [{ ids: string[]; how: TellHow }, null];
  continuity_report: [{ from: string; to: string }, ClientContinuity[]];
  client_continuity: [{ clientId: string }, ClientContinuity];
  list_incidents: [{ query: IncidentQuery }, IncidentRow[]];
  incident_detail: [{ id: string }, IncidentDetail];
  incident_form: [{ id: string | null; visitId: string | null }, IncidentInput];
  save_incident: [{ input: IncidentInput }, string];
  add_notification: [{ incidentId: string; kind: NotificationKind }, string];
  decide_notification: [{ id: string; decision: Decision; reason: string }, null];
  record_sent: [{ id: string; sent: string; reference: string }, null];
  save_follow_up: [{ input: FollowUpInput }, string];
  set_incident_status: [{ id: string; status: IncidentStatus }, null];
  add_addendum: [{ incidentId: string; text: string }, string];
  waiting_notifications: [{}, WaitingNotification[]];
  incident_trends: [{ from: string | null; to: string | null }, Trends];
  export_incident_trends: [{ from: string; to: string }, string];
  incident_choices: [{}, IncidentChoices];
  on_call_summary: [{}, OnCallSummary];
  on_call_roster: [{ from: string | null; days: number | null }, Roster];
  save_shift: [{ input: ShiftInput }, string];
  save_on_call_pattern: [{ input: PatternInput }, number];
  cover_shift: [{ id: string; person: string; phone: string; reason: string }, null];
  swap_shifts: [{ first: string; second: string }, null];
  remove_shift: [{ id: string }, null];
  recent_calls: [{ days: number | null }, CallEntry[]];
  open_follow_ups: [{}, CallEntry[]];
  log_call: [{ input: CallInput }, string];
  add_to_call: [{ callId: string; kind: AddendumKind; text: string }, string];
  mark_off: [{ input: OffInput }, string];
  reallocation: [{ absenceId: string }, Reallocation];
  apply_replacement: [{ visitId: string; offCarerId: string; carerId: string; movedTo: string | null; reason: string }, Finding[]];
  apply_best_for_all: [{ absenceId: string; reason: string }, AppliedAll];
  leave_in_queue: [{ visitId: string; offCarerId: string; reason: string }, null];
  off_form: [{ carerId: string | null }, OffInput];
  shift_form: [{ id: string }, ShiftInput];
  sign_in_state: [{}, SignInState];
  create_first_user: [{ input: UserInput }, FirstStart];
  recover_with_key: [{ recoveryKey: string; input: UserInput }, Session];
  rotate_key: [{}, null];
  export_everything: [{}, ExportSummary];
  export_subject: [{ subject: Subject }, ExportSummary];
  import_columns: [{ kind: ImportKind }, ImportColumn[]];
  import_preview: [{ kind: ImportKind; file: string; onProgress: Channel<ImportProgress> }, ImportPreview];
  import_file: [{ kind: ImportKind; file: string; onProgress: Channel<ImportProgress> }, Imported];
  stop_import: [{}, null];
  sign_in: [{ userName: string; password: string }, Session];
  sign_out: [{}, null];
  still_here: [{}, null];
  list_users: [{}, UserRow[]];
  user_form: [{ id: string }, UserInput];
  save_user: [{ input: UserInput }, string];
  change_own_password: [{ current: string; password: string; passwordAgain: string }, null];
  idle_lock_minutes: [{}, number];
  save_idle_lock_minutes: [{ minutes: number }, null];
  backups: [{}, BackupsOverview];
  back_up_now: [{}, BackupRow];
  backup_preview: [{ name: string }, BackupPreview];
  restore_backup: [{ name: string }, RestoreOutcome];
  run_sheets: [{ date: string | null; days: number; carerId: string | null; detail: SheetDetail }, Printable];
  area_rota: [{ date: string | null; days: number; area: string | null }, Printable];
  emergency_pack: [{}, Printable];
  handover_sheet: [{ at: string; direction: Direction | null }, Printable];
  give_handover: [{ at: string; direction: Direction | null }, string];
  acknowledge_handover: [{ id: string; note: string }, null];
  list_handovers: [{}, HandoverRow[]];
  given_handover: [{ id: string }, Printable];
  save_document_pdf: [{ document: Document }, string];
  subject_risk: [{ subject: RiskSubject }, SubjectRisk];
  activity_risks: [{}, ActivityRisk[]];
  visit_controls: [{ visitId: string }, VisitControl[]];
  assessment_form: [{ subject: RiskSubject }, AssessmentInput];
  save_assessment: [{ input: AssessmentInput }, string];
  live_board: [{}, LiveBoard];
  record_call: [{ visitId: string; kind: CallKind; at: string }, null];
  take_step: [{ visitId: string; step: Step; note: string }, null];
  import_calls: [{ file: string }, CallImport];
  risk_settings: [{}, RiskSettingsInput];
  save_risk_settings: [{ input: RiskSettingsInput }, RiskSettings];
  travel_settings: [{}, TravelSettingsView];
  save_travel_settings: [{ input: TravelSettingsInput }, TravelSettingsView];
  working_time_settings: [{}, WorkingTimeSettingsInput];
  save_working_time_settings: [{ input: WorkingTimeSettingsInput }, WorkingTimeSettingsInput];
  emergency_pack_status: [{}, PackStatus];
  save_emergency_pack_folder: [{ folder: string }, PackStatus];
  save_carer_calendar: [{ carerId: string; date: string | null; days: number }, string];
};

/** Opens the system print dialog for the page as shown (Tauri's own
 *  print, the same on every platform). */
export async function printPage(): Promise<void> {
  await invoke("plugin:webview|print", {});
}

/** A failed command, as the core described it. */
export class ApiError extends Error {
  readonly code: string;
  readonly details: FieldError[];
  /** With code "rule_violation": what the rota rules found. */
  readonly findings: Finding[];
  constructor(payload: ErrorPayload) {
    super(payload.message);
    this.code = payload.code;
    this.details = payload.details;
    this.findings = payload.findings;
  }
}

function isPayload(value: unknown): value is ErrorPayload {
  return typeof value === "object" && value !== null && "code" in value && "message" in value;
}

let onSignInNeeded: () => void = () => {};

/** What to do when the core says nobody is signed in (the app locked). */
export function whenSignInNeeded(handler: () => void) {
  onSignInNeeded = handler;
}

export async function call<C extends keyof Commands>(command: C, args: Commands[C][0]): Promise<Commands[C][1]> {
  try {
    return await invoke<Commands[C][1]>(command, args);
  } catch (error) {
    if (isPayload(error) && error.code === "sign_in_needed") onSignInNeeded();
    if (isPayload(error)) throw new ApiError(error);
    throw new ApiError({ code: "internal", message: String(error), details: [], findings: [] });
  }
}
