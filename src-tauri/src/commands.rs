//! Tauri commands: each deserialises its arguments, calls one core service
//! and returns its result; errors cross as `{ code, message, details }`.

use crate::state::Db;
use caredesk::app::AppInfo;
use caredesk::history::HistoryEntry;
use caredesk::incidents as inc;
use caredesk::oncall as oc;
use caredesk::people::{
    self as p, CarerDetail, CarerInput, CarerRow, ClientDetail, ClientInput, ClientRow, ListQuery, Overview,
    PackageInput, Skill,
};
use caredesk::rota::auto::{self, AutoApplied, AutoChoice, AutoPlan, AutoProgress, GiveProgress};
use caredesk::rota::reallocate as ra;
use caredesk::rota::{
    self, BoardFilters, BoardPart, BoardView, Candidate, ClientContinuity, EditOutcome, Go, PlacedVisit, Publication,
    Reached, RollProgress, Seek, Sought, TellHow, ToTellRow, VisitEdit,
};
use caredesk::rules::Finding;
use caredesk::travel_settings::{self as ts, TravelSettingsInput, TravelSettingsView};
use caredesk::working_time_settings::{self as wts, WorkingTimeSettingsInput};
use caredesk::ErrorPayload;
use chrono::NaiveDate;
use std::sync::atomic::{AtomicBool, Ordering};
use tauri::ipc::Channel;
use tauri::State;
use uuid::Uuid;

type Reply<T> = Result<T, ErrorPayload>;

#[tauri::command]
pub async fn app_info(db: State<'_, Db>) -> Reply<AppInfo> {
    db.run(|s| Ok(caredesk::app::app_info(s))).await
}

#[tauri::command]
pub async fn overview(db: State<'_, Db>) -> Reply<Overview> {
    db.run(|s| p::overview(s.read(), s.today())).await
}

/// One group of what needs attention in full, found by name and ordered.
#[tauri::command]
pub async fn attention(
    db: State<'_, Db>,
    kind: p::AttentionKind,
    search: String,
    order: p::AttentionOrder,
) -> Reply<p::AttentionGroup> {
    db.run(move |s| p::attention_group(s.read(), s.today(), kind, &search, order)).await
}

#[tauri::command]
pub async fn skills(db: State<'_, Db>) -> Reply<Vec<Skill>> {
    db.run(|s| p::skills_catalogue(s.read())).await
}

#[tauri::command]
pub async fn list_carers(db: State<'_, Db>, query: ListQuery) -> Reply<Vec<CarerRow>> {
    db.run(move |s| p::list_carers(s.read(), &query, s.today())).await
}

#[tauri::command]
pub async fn carer_detail(db: State<'_, Db>, id: Uuid) -> Reply<CarerDetail> {
    db.run(move |s| p::carer_detail(s.read(), id, s.today())).await
}

/// The weeks before the agency's records begin whose hours can be entered
/// for the carer, with what is entered.
#[tauri::command]
pub async fn hours_before_caredesk(db: State<'_, Db>, id: Uuid) -> Reply<p::HoursBeforeForm> {
    db.run(move |s| p::hours_before_form(s.read(), id, s.today())).await
}

#[tauri::command]
pub async fn save_hours_before_caredesk(
    db: State<'_, Db>,
    id: Uuid,
    weeks: Vec<p::WeekHoursInput>,
) -> Reply<p::HoursBeforeForm> {
    db.run(move |s| p::save_hours_before(s, id, &weeks)).await
}

#[tauri::command]
pub async fn carer_form(db: State<'_, Db>, id: Option<Uuid>) -> Reply<CarerInput> {
    db.run(move |s| p::carer_form(s.read(), id, s.today())).await
}

#[tauri::command]
pub async fn save_carer(db: State<'_, Db>, input: CarerInput) -> Reply<Uuid> {
    db.run(move |s| p::save_carer(s, &input)).await
}

#[tauri::command]
pub async fn list_clients(db: State<'_, Db>, query: ListQuery) -> Reply<Vec<ClientRow>> {
    db.run(move |s| p::list_clients(s.read(), &query, s.today())).await
}

#[tauri::command]
pub async fn client_detail(db: State<'_, Db>, id: Uuid) -> Reply<ClientDetail> {
    db.run(move |s| p::client_detail(s.read(), id, s.today())).await
}

#[tauri::command]
pub async fn client_form(db: State<'_, Db>, id: Option<Uuid>) -> Reply<ClientInput> {
    db.run(move |s| p::client_form(s.read(), id)).await
}

#[tauri::command]
pub async fn save_client(db: State<'_, Db>, input: ClientInput) -> Reply<rota::Followed> {
    db.run(move |s| rota::follow::save_client(s, &input)).await
}

#[tauri::command]
pub async fn package_form(db: State<'_, Db>, id: Option<Uuid>, client_id: Uuid) -> Reply<PackageInput> {
    db.run(move |s| p::package_form(s.read(), id, client_id, s.today())).await
}

#[tauri::command]
pub async fn save_package(db: State<'_, Db>, input: PackageInput) -> Reply<rota::Followed> {
    db.run(move |s| rota::follow::save_package(s, &input)).await
}

#[tauri::command]
pub async fn delete_package(db: State<'_, Db>, id: Uuid) -> Reply<rota::Followed> {
    db.run(move |s| rota::follow::delete_package(s, id)).await
}

#[tauri::command]
pub async fn record_history(db: State<'_, Db>, id: Uuid) -> Reply<Vec<HistoryEntry>> {
    db.run(move |s| caredesk::history::record_history(s.read(), id)).await
}

#[tauri::command]
pub async fn roll_forward(
    db: State<'_, Db>,
    from: NaiveDate,
    to: NaiveDate,
    same_carers: bool,
    on_progress: Channel<RollProgress>,
) -> Reply<rota::RollOutcome> {
    STOP_ROLL.store(false, Ordering::Relaxed);
    db.run(move |s| {
        rota::roll_forward_then_give(s, from, to, same_carers, &STOP_ROLL, &mut |progress: RollProgress| {
            let _ = on_progress.send(progress);
        })
    })
    .await
}

/// Set to stop the roll forward under way at the end of the days it is
/// writing (up to a month), or of the week it is giving last week's carers.
static STOP_ROLL: AtomicBool = AtomicBool::new(false);

/// Not through the store: the roll holds it until it hears this.
#[tauri::command]
pub fn stop_roll_forward() {
    STOP_ROLL.store(true, Ordering::Relaxed);
}

/// How far ahead the care packages' visits are made, said against today.
#[tauri::command]
pub async fn made_ahead(db: State<'_, Db>) -> Reply<rota::MadeAhead> {
    db.run(|s| rota::made_ahead(s.read(), s.today())).await
}

/// The agency's travel figures, as the rules and run sheets use them.
#[tauri::command]
pub async fn travel_settings(db: State<'_, Db>) -> Reply<TravelSettingsView> {
    db.run(|s| Ok(ts::view(ts::travel_settings(s.read())?))).await
}

#[tauri::command]
pub async fn save_travel_settings(db: State<'_, Db>, input: TravelSettingsInput) -> Reply<TravelSettingsView> {
    db.run(move |s| Ok(ts::view(ts::save_travel_settings(s, &input)?))).await
}

/// How the agency takes its carers' weekly rest, as the form shows it.
#[tauri::command]
pub async fn working_time_settings(db: State<'_, Db>) -> Reply<WorkingTimeSettingsInput> {
    db.run(|s| Ok(WorkingTimeSettingsInput::from(&wts::working_time_settings(s.read())?))).await
}

#[tauri::command]
pub async fn save_working_time_settings(
    db: State<'_, Db>,
    input: WorkingTimeSettingsInput,
) -> Reply<WorkingTimeSettingsInput> {
    db.run(move |s| Ok(WorkingTimeSettingsInput::from(&wts::save_working_time_settings(s, &input)?))).await
}

/// Set to stop the auto-scheduler's search early (it keeps its best plan).
static STOP_AUTO: AtomicBool = AtomicBool::new(false);

/// The open slots of a day (or the days of a week) planned by the scheduler, checked by the rules;
/// changes nothing. The problem is built with the store; the search runs
/// without holding it, so the rest of the app keeps working.
#[tauri::command]
pub async fn auto_schedule(
    db: State<'_, Db>,
    date: NaiveDate,
    days: u32,
    seconds: f64,
    on_progress: Channel<AutoProgress>,
) -> Reply<AutoPlan> {
    let limit = auto::search_options(seconds).map_err(|e| e.payload())?;
    let prepared = db.run(move |s| auto::prepare_days(s, date, days)).await?;
    STOP_AUTO.store(false, Ordering::Relaxed);
    tauri::async_runtime::spawn_blocking(move || {
        auto::propose_days(&prepared, limit, &STOP_AUTO, &mut |p| {
            let _ = on_progress.send(p.clone());
        })
    })
    .await
    .map_err(|e| caredesk::Error::Conflict(format!("the scheduler stopped: {e}")).payload())
}

#[tauri::command]
pub fn stop_auto_schedule() {
    STOP_AUTO.store(true, Ordering::Relaxed);
}

/// For each offer of a plan, what it comes to with the offers ticked above
/// it given too, the ticked proposals first (`chosen`); none where nothing
/// changes.
#[tauri::command]
pub async fn auto_offers_together(
    db: State<'_, Db>,
    chosen: Vec<AutoChoice>,
    offers: Vec<AutoChoice>,
    ticked: Vec<bool>,
) -> Reply<Vec<Option<String>>> {
    db.run(move |s| auto::offers_together(s, &chosen, &offers, &ticked)).await
}

#[tauri::command]
pub async fn apply_auto_plan(db: State<'_, Db>, choices: Vec<AutoChoice>, reason: String) -> Reply<AutoApplied> {
    db.run(move |s| auto::apply_auto_plan(s, &choices, &reason)).await
}

#[tauri::command]
pub async fn give_same_carers(
    db: State<'_, Db>,
    from: NaiveDate,
    days: u32,
    reason: String,
    on_progress: Channel<GiveProgress>,
) -> Reply<rota::SameCarers> {
    db.run(move |s| {
        rota::give_same_carers_telling(s, from, days, &reason, &mut |progress| {
            let _ = on_progress.send(progress);
        })
    })
    .await
}

#[tauri::command]
pub async fn candidates(db: State<'_, Db>, visit_id: Uuid) -> Reply<Vec<Candidate>> {
    db.run(move |s| rota::candidates(s, visit_id)).await
}

#[tauri::command]
pub async fn give(
    db: State<'_, Db>,
    visit_id: Uuid,
    carer_id: Uuid,
    moving_from: Option<Uuid>,
    reason: String,
) -> Reply<Vec<Finding>> {
    db.run(move |s| rota::give(s, visit_id, carer_id, moving_from, &reason)).await
}

#[tauri::command]
pub async fn unallocate(db: State<'_, Db>, visit_id: Uuid, slot: u8) -> Reply<()> {
    db.run(move |s| rota::unallocate(s, visit_id, slot)).await
}

/// The board of a day or a week without its visits: the rows the filters
/// keep and the totals. The grid asks for the visits of the rows in view.
#[tauri::command]
pub async fn board_view(db: State<'_, Db>, day: NaiveDate, days: u8, filters: BoardFilters) -> Reply<BoardView> {
    let view = db.run(move |s| rota::board_view(s, day, days, &filters)).await;
    crate::memory::give_freed_memory_back();
    view
}

/// The visits of the board's rows in view: `carers`' lanes and the
/// unallocated lane's rows from `queue_from` up to `queue_to`.
#[tauri::command]
pub async fn board_part(
    db: State<'_, Db>,
    day: NaiveDate,
    days: u8,
    filters: BoardFilters,
    carers: Vec<Uuid>,
    queue_from: u32,
    queue_to: u32,
) -> Reply<BoardPart> {
    db.run(move |s| rota::board_part(s, day, days, &filters, &carers, queue_from..queue_to)).await
}

#[tauri::command]
pub async fn board_visit(db: State<'_, Db>, day: NaiveDate, days: u8, visit_id: Uuid) -> Reply<Option<PlacedVisit>> {
    db.run(move |s| rota::board_visit(s, day, days, visit_id)).await
}

/// The next visit of the board waiting for a carer, or that a rule blocks
/// or warns about, after the one open (`after`), else from now.
#[tauri::command]
pub async fn board_seek(
    db: State<'_, Db>,
    day: NaiveDate,
    days: u8,
    filters: BoardFilters,
    seek: Seek,
    after: Option<Uuid>,
) -> Reply<Option<Sought>> {
    db.run(move |s| rota::board_seek(s, day, days, &filters, seek, after)).await
}

/// The visit the keyboard goes to from where it is on the board: along a
/// lane, to its ends, or to the nearest in time of the next lane with any.
#[tauri::command]
pub async fn board_near(
    db: State<'_, Db>,
    day: NaiveDate,
    days: u8,
    filters: BoardFilters,
    go: Go,
) -> Reply<Option<Reached>> {
    db.run(move |s| rota::board_near(s, day, days, &filters, go)).await
}

/// The board of `day` worked out and kept while the person reads Today after
/// signing in, so the rota opens on a week already read and checked.
#[tauri::command]
pub async fn prepare_board(db: State<'_, Db>, day: NaiveDate) -> Reply<()> {
    let prepared = db.run(move |s| rota::board_view(s, day, 1, &BoardFilters::default()).map(drop)).await;
    crate::memory::give_freed_memory_back();
    prepared
}

#[tauri::command]
pub async fn visit_form(db: State<'_, Db>, visit_id: Uuid) -> Reply<VisitEdit> {
    db.run(move |s| rota::visit_form(s.read(), visit_id)).await
}

#[tauri::command]
pub async fn edit_visit(db: State<'_, Db>, input: VisitEdit) -> Reply<EditOutcome> {
    db.run(move |s| rota::edit_visit(s, &input)).await
}

#[tauri::command]
pub async fn cancel_visit(db: State<'_, Db>, visit_id: Uuid, reason: String) -> Reply<()> {
    db.run(move |s| rota::cancel_visit(s, visit_id, &reason)).await
}

#[tauri::command]
pub async fn reinstate_visit(db: State<'_, Db>, visit_id: Uuid) -> Reply<()> {
    db.run(move |s| rota::reinstate_visit(s, visit_id)).await
}

/// Beside each of a visit's findings gone past, the reason, who and when.
#[tauri::command]
pub async fn visit_gone_past(db: State<'_, Db>, visit_id: Uuid) -> Reply<Vec<rota::GonePast>> {
    db.run(move |s| rota::gone_past(s, visit_id)).await
}

#[tauri::command]
pub async fn visit_history(db: State<'_, Db>, visit_id: Uuid) -> Reply<Vec<HistoryEntry>> {
    db.run(move |s| caredesk::history::visit_history(s.read(), visit_id)).await
}

#[tauri::command]
pub async fn publish(db: State<'_, Db>, from: NaiveDate, to: NaiveDate) -> Reply<Publication> {
    db.run(move |s| rota::publish(s, from, to)).await
}

#[tauri::command]
pub async fn untold(db: State<'_, Db>) -> Reply<Vec<ToTellRow>> {
    db.run(|s| rota::untold(s.read())).await
}

#[tauri::command]
pub async fn mark_told(db: State<'_, Db>, ids: Vec<Uuid>, how: TellHow) -> Reply<()> {
    db.run(move |s| rota::mark_told(s, &ids, how)).await
}

#[tauri::command]
pub async fn continuity_report(db: State<'_, Db>, from: NaiveDate, to: NaiveDate) -> Reply<Vec<ClientContinuity>> {
    db.run(move |s| rota::continuity_report(s.read(), from, to)).await
}

#[tauri::command]
pub async fn client_continuity(db: State<'_, Db>, client_id: Uuid) -> Reply<ClientContinuity> {
    db.run(move |s| {
        let (from, to) = rota::recent_period(s.today());
        rota::client_continuity(s.read(), client_id, from, to)
    })
    .await
}

#[tauri::command]
pub async fn list_incidents(db: State<'_, Db>, query: inc::IncidentQuery) -> Reply<Vec<inc::IncidentRow>> {
    db.run(move |s| inc::list_incidents(s.read(), &query, s.now())).await
}

#[tauri::command]
pub async fn incident_detail(db: State<'_, Db>, id: Uuid) -> Reply<inc::IncidentDetail> {
    db.run(move |s| inc::incident_detail(s.read(), id, s.now())).await
}

#[tauri::command]
pub async fn incident_form(db: State<'_, Db>, id: Option<Uuid>, visit_id: Option<Uuid>) -> Reply<inc::IncidentInput> {
    db.run(move |s| inc::incident_form(s.read(), id, visit_id, &s.actor(), s.now())).await
}

#[tauri::command]
pub async fn save_incident(db: State<'_, Db>, input: inc::IncidentInput) -> Reply<Uuid> {
    db.run(move |s| inc::save_incident(s, &input)).await
}

#[tauri::command]
pub async fn add_notification(db: State<'_, Db>, incident_id: Uuid, kind: inc::NotificationKind) -> Reply<Uuid> {
    db.run(move |s| inc::add_notification(s, incident_id, kind)).await
}

#[tauri::command]
pub async fn decide_notification(db: State<'_, Db>, id: Uuid, decision: inc::Decision, reason: String) -> Reply<()> {
    db.run(move |s| inc::decide_notification(s, id, decision, &reason)).await
}

#[tauri::command]
pub async fn record_sent(db: State<'_, Db>, id: Uuid, sent: String, reference: String) -> Reply<()> {
    db.run(move |s| inc::record_sent(s, id, &sent, &reference)).await
}

#[tauri::command]
pub async fn save_follow_up(db: State<'_, Db>, input: inc::FollowUpInput) -> Reply<Uuid> {
    db.run(move |s| inc::save_follow_up(s, &input)).await
}

#[tauri::command]
pub async fn set_incident_status(db: State<'_, Db>, id: Uuid, status: inc::IncidentStatus) -> Reply<()> {
    db.run(move |s| inc::set_status(s, id, status)).await
}

#[tauri::command]
pub async fn add_addendum(db: State<'_, Db>, incident_id: Uuid, text: String) -> Reply<Uuid> {
    db.run(move |s| inc::add_addendum(s, incident_id, &text)).await
}

#[tauri::command]
pub async fn waiting_notifications(db: State<'_, Db>) -> Reply<Vec<inc::WaitingNotification>> {
    db.run(|s| inc::waiting_notifications(s.read(), s.now())).await
}

#[tauri::command]
pub async fn incident_trends(db: State<'_, Db>, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Reply<inc::Trends> {
    db.run(move |s| {
        let (recent_from, recent_to) = inc::recent_period(s.today());
        inc::trends(s.read(), from.unwrap_or(recent_from), to.unwrap_or(recent_to), s.now())
    })
    .await
}

/// Saves the trends' numbers as CSV in the Downloads folder (or, without
/// one, `exports` in the data folder) and says where.
/// Where exports go: the person's Downloads folder, or `exports` beside the data.
pub fn export_folder(app: &tauri::AppHandle) -> std::path::PathBuf {
    use tauri::Manager;
    match app.path().download_dir() {
        Ok(dir) if dir.is_dir() => dir,
        _ => caredesk::app::data_dir(app.path().app_data_dir().unwrap_or_default()).join("exports"),
    }
}

#[tauri::command]
pub async fn export_everything(app: tauri::AppHandle, db: State<'_, Db>) -> Reply<caredesk::export::ExportSummary> {
    let folder = export_folder(&app);
    db.run(move |s| caredesk::export::export_all(s, &folder)).await
}

#[tauri::command]
pub async fn export_subject(
    app: tauri::AppHandle,
    db: State<'_, Db>,
    subject: caredesk::export::Subject,
) -> Reply<caredesk::export::ExportSummary> {
    let folder = export_folder(&app);
    db.run(move |s| caredesk::export::subject_access(s, subject, &folder)).await
}

#[tauri::command]
pub async fn export_incident_trends(
    app: tauri::AppHandle,
    db: State<'_, Db>,
    from: NaiveDate,
    to: NaiveDate,
) -> Reply<String> {
    let folder = export_folder(&app);
    db.run(move |s| inc::write_trends_csv(s.read(), from, to, s.now(), &folder).map(|p| p.display().to_string())).await
}

#[tauri::command]
pub async fn incident_choices(db: State<'_, Db>) -> Reply<inc::IncidentChoices> {
    db.run(|s| inc::incident_choices(s.read())).await
}

#[tauri::command]
pub async fn on_call_summary(db: State<'_, Db>) -> Reply<oc::OnCallSummary> {
    db.run(|s| oc::summary(s.read(), s.today(), s.now())).await
}

/// The roster from `from` (default today) for `days` days (default 14).
#[tauri::command]
pub async fn on_call_roster(db: State<'_, Db>, from: Option<NaiveDate>, days: Option<u16>) -> Reply<oc::Roster> {
    db.run(move |s| {
        let from = from.unwrap_or_else(|| s.today());
        let to = from + chrono::Duration::days(i64::from(days.unwrap_or(14).clamp(1, 62)) - 1);
        oc::roster(s.read(), from, to, s.now())
    })
    .await
}

#[tauri::command]
pub async fn save_shift(db: State<'_, Db>, input: oc::ShiftInput) -> Reply<Uuid> {
    db.run(move |s| oc::save_shift(s, &input)).await
}

#[tauri::command]
pub async fn save_on_call_pattern(db: State<'_, Db>, input: oc::PatternInput) -> Reply<usize> {
    db.run(move |s| oc::save_pattern(s, &input)).await
}

#[tauri::command]
pub async fn cover_shift(db: State<'_, Db>, id: Uuid, person: String, phone: String, reason: String) -> Reply<()> {
    db.run(move |s| oc::cover_shift(s, id, &person, &phone, &reason)).await
}

#[tauri::command]
pub async fn swap_shifts(db: State<'_, Db>, first: Uuid, second: Uuid) -> Reply<()> {
    db.run(move |s| oc::swap_shifts(s, first, second)).await
}

#[tauri::command]
pub async fn remove_shift(db: State<'_, Db>, id: Uuid) -> Reply<()> {
    db.run(move |s| oc::remove_shift(s, id)).await
}

/// Calls of the last `days` days (default 7), newest first.
#[tauri::command]
pub async fn recent_calls(db: State<'_, Db>, days: Option<u16>) -> Reply<Vec<oc::CallEntry>> {
    db.run(move |s| {
        let now = s.now();
        oc::calls_between(
            s.read(),
            now - chrono::Duration::days(i64::from(days.unwrap_or(7))),
            now + chrono::Duration::minutes(6),
        )
    })
    .await
}

#[tauri::command]
pub async fn open_follow_ups(db: State<'_, Db>) -> Reply<Vec<oc::CallEntry>> {
    db.run(|s| oc::open_follow_ups(s.read())).await
}

#[tauri::command]
pub async fn log_call(db: State<'_, Db>, input: oc::CallInput) -> Reply<Uuid> {
    db.run(move |s| oc::log_call(s, &input)).await
}

#[tauri::command]
pub async fn add_to_call(db: State<'_, Db>, call_id: Uuid, kind: oc::AddendumKind, text: String) -> Reply<Uuid> {
    db.run(move |s| oc::add_to_call(s, call_id, kind, &text)).await
}

#[tauri::command]
pub async fn mark_off(db: State<'_, Db>, input: ra::OffInput) -> Reply<Uuid> {
    db.run(move |s| ra::mark_off(s, &input)).await
}

#[tauri::command]
pub async fn reallocation(db: State<'_, Db>, absence_id: Uuid) -> Reply<ra::Reallocation> {
    db.run(move |s| ra::reallocation(s, absence_id)).await
}

#[tauri::command]
pub async fn apply_replacement(
    db: State<'_, Db>,
    visit_id: Uuid,
    off_carer_id: Uuid,
    carer_id: Uuid,
    moved_to: Option<chrono::DateTime<chrono::Utc>>,
    reason: String,
) -> Reply<Vec<Finding>> {
    db.run(move |s| ra::apply_replacement(s, visit_id, off_carer_id, carer_id, moved_to, &reason)).await
}

#[tauri::command]
pub async fn apply_best_for_all(db: State<'_, Db>, absence_id: Uuid, reason: String) -> Reply<ra::AppliedAll> {
    db.run(move |s| ra::apply_best_for_all(s, absence_id, &reason)).await
}

#[tauri::command]
pub async fn leave_in_queue(db: State<'_, Db>, visit_id: Uuid, off_carer_id: Uuid, reason: String) -> Reply<()> {
    db.run(move |s| ra::leave_in_queue(s, visit_id, off_carer_id, &reason)).await
}

#[tauri::command]
pub async fn off_form(db: State<'_, Db>, carer_id: Option<Uuid>) -> Reply<ra::OffInput> {
    db.run(move |s| Ok(ra::off_form(s, carer_id))).await
}

#[tauri::command]
pub async fn shift_form(db: State<'_, Db>, id: Uuid) -> Reply<oc::ShiftInput> {
    db.run(move |s| oc::shift_form(s.read(), id)).await
}

/// The file's bytes arrive as base64 (a file picked in the window), so a
/// file that is not UTF-8 reaches the core as it is and is reported there.
pub fn file_bytes(base64: &str) -> caredesk::Result<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(base64)
        .map_err(|_| caredesk::Error::Conflict("The file could not be read".into()))
}

#[tauri::command]
pub async fn import_columns(
    db: State<'_, Db>,
    kind: caredesk::import::ImportKind,
) -> Reply<Vec<caredesk::import::ImportColumn>> {
    db.run(move |_| Ok(caredesk::import::expected_columns(kind))).await
}

#[tauri::command]
pub async fn import_preview(
    db: State<'_, Db>,
    kind: caredesk::import::ImportKind,
    file: String,
    on_progress: Channel<caredesk::import::ImportProgress>,
) -> Reply<caredesk::import::ImportPreview> {
    // A check still under way is for a file or kind no longer chosen: it
    // stops, so this one need not wait for it on the store's thread.
    STOP_PREVIEW.store(true, Ordering::Relaxed);
    db.run(move |s| {
        STOP_PREVIEW.store(false, Ordering::Relaxed);
        caredesk::import::preview_reporting(s, kind, &file_bytes(&file)?, &STOP_PREVIEW, &mut |p| {
            let _ = on_progress.send(p.clone());
        })
    })
    .await
}

/// Set by a preview asked for while another is checked; cleared by each as
/// it starts on the store's thread.
static STOP_PREVIEW: AtomicBool = AtomicBool::new(false);

/// Set to stop the import under way; it then imports nothing.
static STOP_IMPORT: AtomicBool = AtomicBool::new(false);

#[tauri::command]
pub async fn import_file(
    db: State<'_, Db>,
    kind: caredesk::import::ImportKind,
    file: String,
    on_progress: Channel<caredesk::import::ImportProgress>,
) -> Reply<caredesk::import::Imported> {
    STOP_IMPORT.store(false, Ordering::Relaxed);
    db.run(move |s| {
        caredesk::import::import_reporting(s, kind, &file_bytes(&file)?, &STOP_IMPORT, &mut |p| {
            let _ = on_progress.send(p.clone());
        })
    })
    .await
}

/// Not through the store: the import holds it until it hears this.
#[tauri::command]
pub fn stop_import() {
    STOP_IMPORT.store(true, Ordering::Relaxed);
}
