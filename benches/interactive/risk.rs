//! The live lone-worker board on the huge agency (1,500 carers, 5,000
//! clients), a fifth of whose homes ask for check-in calls: one refresh,
//! beside the raw SQL read of the same 24 hours of visits in the same run.

use super::{median_ms, Figure};
use caredesk::demo::{self, Size};
use caredesk::risk::assessments::{ControlInput, HazardCategory, HazardInput};
use caredesk::risk::{save_assessment, AssessmentInput, ControlKind, Subject};
use caredesk::{rota, Store};
use chrono::Duration;
use std::path::Path;

pub fn figures(dir: &Path, today: chrono::NaiveDate, figures: &mut Vec<Figure>) {
    let mut store = Store::open(&dir.join("risk.db"), "bench").unwrap();
    demo::load(&mut store, &demo::generate(Size::Huge, 7, today)).unwrap();
    rota::roll_forward(&mut store, today - Duration::days(1), today + Duration::days(1), &mut |_| {}).unwrap();
    demo::rota::allocate_in_turn(&mut store, today - Duration::days(1), today + Duration::days(1)).unwrap();
    let clients: Vec<String> = store
        .read()
        .prepare("SELECT id FROM clients ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for client in clients.iter().step_by(5) {
        let input = AssessmentInput {
            subject: Some(Subject::Client(client.parse().unwrap())),
            assessed_on: (today - Duration::days(30)).to_string(),
            assessor: "Bench".into(),
            next_review_on: (today + Duration::days(300)).to_string(),
            summary: String::new(),
            hazards: vec![HazardInput {
                category: Some(HazardCategory::Area),
                description: "Lone visits after dark".into(),
                likelihood: Some(3),
                severity: Some(3),
                control_measures: "Calls in and out".into(),
                residual_likelihood: Some(2),
                residual_severity: Some(3),
            }],
            controls: vec![ControlInput { kind: Some(ControlKind::CheckInRequired), ..Default::default() }],
        };
        save_assessment(&mut store, &input).unwrap();
    }
    let now = caredesk::documents::facts::parse_london_moment(&format!("{today} 18:00")).unwrap();
    let mut rows = 0;
    let board_ms = median_ms(11, || {
        rows = caredesk::risk::watch::live_board(store.read(), now).unwrap().rows.len();
    });
    let raw_ms = median_ms(11, || {
        let mut stmt = store
            .read()
            .prepare_cached(
                "SELECT v.id, v.starts_at, v.duration_min, c.given_name, c.family_name FROM visits v
                 JOIN clients c ON c.id = v.client_id
                 WHERE v.local_date BETWEEN ?1 AND ?2 AND v.deleted_at IS NULL AND v.status = 'planned'",
            )
            .unwrap();
        let n = stmt
            .query_map([today.to_string(), (today + Duration::days(1)).to_string()], |r| r.get::<_, String>(0))
            .unwrap()
            .count();
        assert!(n > 1000);
    });
    println!("  ({} homes need calls; {rows} visits on the board at 18:00)", clients.len().div_ceil(5));
    figures.push(Figure {
        name: "live lone-worker board, huge: one refresh (24 hours of visits)",
        value_ms: board_ms,
        reference: "raw SQL read of the visits of those two London dates",
        reference_ms: raw_ms,
    });
}
