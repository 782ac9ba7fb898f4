//! Commands for lone-working risk assessments: a client's risk, the form
//! for the next version, saving it.

use crate::state::Db;
use caredesk::risk::{self, AssessmentInput, ClientRisk};
use caredesk::ErrorPayload;
use tauri::State;
use uuid::Uuid;

type Reply<T> = Result<T, ErrorPayload>;

#[tauri::command]
pub async fn client_risk(db: State<'_, Db>, client_id: Uuid) -> Reply<ClientRisk> {
    db.run(move |s| risk::client_risk(s.read(), client_id, s.today())).await
}

#[tauri::command]
pub async fn assessment_form(db: State<'_, Db>, client_id: Uuid) -> Reply<AssessmentInput> {
    db.run(move |s| {
        let assessor = s.access().session().map(|u| u.full_name.clone()).unwrap_or_else(|| s.actor());
        risk::assessment_form(s.read(), client_id, s.today(), &assessor)
    })
    .await
}

#[tauri::command]
pub async fn save_assessment(db: State<'_, Db>, input: AssessmentInput) -> Reply<Uuid> {
    db.run(move |s| risk::save_assessment(s, &input)).await
}
