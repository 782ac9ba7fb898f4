//! Commands for lone-working risk assessments: a home's, carer's or
//! activity's risk, the form for the next version, saving it; the live
//! board and its calls; the settings.

use crate::state::Db;
use caredesk::risk::monitor::{CallKind, Step};
use caredesk::risk::settings::{RiskSettings, RiskSettingsInput};
use caredesk::risk::watch::{self, CallImport, LiveBoard};
use caredesk::risk::{self, ActivityRisk, AssessmentInput, Subject, SubjectRisk, VisitControl};
use caredesk::ErrorPayload;
use tauri::State;
use uuid::Uuid;

type Reply<T> = Result<T, ErrorPayload>;

#[tauri::command]
pub async fn subject_risk(db: State<'_, Db>, subject: Subject) -> Reply<SubjectRisk> {
    db.run(move |s| risk::subject_risk(s.read(), &subject, s.today())).await
}

#[tauri::command]
pub async fn visit_controls(db: State<'_, Db>, visit_id: Uuid) -> Reply<Vec<VisitControl>> {
    db.run(move |s| risk::visit_controls(s.read(), visit_id)).await
}

#[tauri::command]
pub async fn activity_risks(db: State<'_, Db>) -> Reply<Vec<ActivityRisk>> {
    db.run(move |s| risk::activity_risks(s.read(), s.today())).await
}

#[tauri::command]
pub async fn assessment_form(db: State<'_, Db>, subject: Subject) -> Reply<AssessmentInput> {
    db.run(move |s| risk::assessment_form_for(s, &subject)).await
}

#[tauri::command]
pub async fn save_assessment(db: State<'_, Db>, input: AssessmentInput) -> Reply<Uuid> {
    db.run(move |s| risk::save_assessment(s, &input)).await
}

/// The live board at the core's now. Refreshed on a timer, so it is not
/// activity: the app still locks when nobody touches it.
#[tauri::command]
pub async fn live_board(db: State<'_, Db>) -> Reply<LiveBoard> {
    db.run_open(|agency| {
        let store = agency.store_unattended()?;
        watch::live_board(store.read(), store.now())
    })
    .await
}

#[tauri::command]
pub async fn record_call(db: State<'_, Db>, visit_id: Uuid, kind: CallKind, at: String) -> Reply<()> {
    db.run(move |s| watch::record_call(s, visit_id, kind, &at)).await
}

#[tauri::command]
pub async fn take_step(db: State<'_, Db>, visit_id: Uuid, step: Step, note: String) -> Reply<()> {
    db.run(move |s| watch::take_step(s, visit_id, step, &note)).await
}

#[tauri::command]
pub async fn import_calls(db: State<'_, Db>, file: String) -> Reply<CallImport> {
    db.run(move |s| watch::import_calls(s, &crate::commands::file_bytes(&file)?)).await
}

#[tauri::command]
pub async fn risk_settings(db: State<'_, Db>) -> Reply<RiskSettingsInput> {
    db.run(|s| risk::settings::risk_settings(s.read()).map(RiskSettingsInput::from)).await
}

#[tauri::command]
pub async fn save_risk_settings(db: State<'_, Db>, input: RiskSettingsInput) -> Reply<RiskSettings> {
    db.run(move |s| risk::settings::save_risk_settings(s, &input)).await
}
