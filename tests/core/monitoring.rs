//! Lone-worker monitoring from the store, with the clock held: visits to
//! homes that need check-in calls, calls typed or imported, and escalation
//! steps taken, each with who and when.

use crate::support;
use caredesk::clock::FixedClock;
use caredesk::risk::monitor::{CallKind, Step, WatchState};
use caredesk::risk::watch::{import_calls, live_board, record_call, take_step};
use caredesk::risk::{save_assessment, AssessmentInput, ControlKind, Subject};
use caredesk::Store;
use std::sync::Arc;

fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
    caredesk::documents::facts::parse_london_moment(text).unwrap()
}

/// A client whose assessment asks for check-in calls, with a 07:30 visit
/// for 45 minutes on 2 March 2026, and the clock at 07:00 that day.
fn watched_client() -> (Store, Arc<FixedClock>, uuid::Uuid) {
    let (mut store, clock) = support::store();
    clock.set(at("2026-03-02 07:00"));
    let client = caredesk::people::save_client(&mut store, &support::client_form()).unwrap();
    let mut package = support::package_form(client);
    package.required_skills = vec![];
    caredesk::people::save_package(&mut store, &package).unwrap();
    caredesk::rota::roll_forward(&mut store, "2026-03-02".parse().unwrap(), "2026-03-02".parse().unwrap(), &mut |_| {})
        .unwrap();
    let input = AssessmentInput {
        subject: Some(Subject::Client(client)),
        assessed_on: "2026-03-01".into(),
        assessor: "Jo Coordinator".into(),
        next_review_on: "2026-09-01".into(),
        summary: String::new(),
        hazards: vec![caredesk::risk::assessments::HazardInput {
            category: Some(caredesk::risk::assessments::HazardCategory::Area),
            description: "Isolated farmhouse, no phone signal in the lane".into(),
            likelihood: Some(3),
            severity: Some(4),
            control_measures: "Check in and out by landline".into(),
            residual_likelihood: Some(2),
            residual_severity: Some(4),
        }],
        controls: vec![caredesk::risk::assessments::ControlInput {
            kind: Some(ControlKind::CheckInRequired),
            value: String::new(),
            enforcement: None,
        }],
    };
    save_assessment(&mut store, &input).unwrap();
    let visit: String = store.read().query_row("SELECT id FROM visits", [], |r| r.get(0)).unwrap();
    (store, clock, visit.parse().unwrap())
}

/// A carer, allocated to the watched visit.
fn give_a_carer(store: &mut Store) {
    caredesk::people::save_carer(store, &support::carer_form()).unwrap();
    let day = "2026-03-02".parse().unwrap();
    assert_eq!(caredesk::demo::rota::allocate_in_turn(store, day, day).unwrap(), 1);
}

#[test]
fn a_visit_to_a_home_needing_calls_is_on_the_board_and_a_late_check_in_escalates_until_someone_acts() {
    let (mut store, clock, visit) = watched_client();
    give_a_carer(&mut store);
    let board = live_board(store.read(), store.now()).unwrap();
    assert_eq!(board.rows.len(), 1);
    assert_eq!((board.rows[0].state, board.rows[0].expected.as_str()), (WatchState::Upcoming, "07:30–08:15"));

    clock.set(at("2026-03-02 07:50"));
    let late = &live_board(store.read(), store.now()).unwrap().rows[0];
    assert_eq!((late.state, late.overdue_min, late.due_step), (WatchState::LateIn, 5, Some(Step::CallCarer)));
    assert_eq!(late.next_step, "Next step at 08:00 if nobody calls");

    take_step(&mut store, visit, Step::CallCarer, "No answer on her mobile").unwrap();
    let rang = &live_board(store.read(), store.now()).unwrap().rows[0];
    assert_eq!(rang.due_step, None, "the step is taken and the next is not due until 08:00");
    assert_eq!(rang.taken[0].by, support::COORDINATOR);
    assert_eq!((rang.taken[0].at.as_str(), rang.taken[0].note.as_str()), ("07:50", "No answer on her mobile"));

    clock.set(at("2026-03-02 08:01"));
    assert_eq!(live_board(store.read(), store.now()).unwrap().rows[0].due_step, Some(Step::OnCallManager));
    record_call(&mut store, visit, CallKind::CheckIn, "08:01").unwrap();
    let arrived = &live_board(store.read(), store.now()).unwrap().rows[0];
    assert_eq!((arrived.state, arrived.check_in.as_str(), arrived.due_step), (WatchState::In, "08:01", None));
    let again = record_call(&mut store, visit, CallKind::CheckIn, "").unwrap_err();
    assert!(again.to_string().contains("already recorded"), "{again}");
    let logged = support::texts(&store, "SELECT entity || ' ' || actor FROM change_log WHERE entity IN ('visit_calls', 'escalation_steps') ORDER BY seq");
    assert_eq!(
        logged,
        vec![format!("escalation_steps {}", support::COORDINATOR), format!("visit_calls {}", support::COORDINATOR)]
    );
}

#[test]
fn a_call_monitoring_file_with_any_bad_line_imports_nothing_and_says_which_lines() {
    let (mut store, clock, _) = watched_client();
    clock.set(at("2026-03-02 09:00"));
    let name = format!("{} {}", support::client_form().given_name, support::client_form().family_name);
    let postcode = support::client_form().postcode;
    let bad = format!(
        "client,postcode,at,kind\n{name},{postcode},2026-03-02 07:31,in\n{name},{postcode},2026-03-02 07:32,in\nNobody Known,SY1 1AA,2026-03-02 07:40,in\n{name},{postcode},teatime,out\n{name},{postcode},2026-03-02 08:16,sideways\n"
    );
    let outcome = import_calls(&mut store, bad.as_bytes()).unwrap();
    assert_eq!(outcome.imported, 0);
    let lines: Vec<(u32, &str)> = outcome.problems.iter().map(|p| (p.line, p.field.as_str())).collect();
    assert_eq!(lines, vec![(3, "kind"), (4, "client"), (5, "at"), (6, "kind")], "{:?}", outcome.problems);
    assert_eq!(support::count(&store, "SELECT count(*) FROM visit_calls"), 0, "nothing imported half-way");

    let good = format!(
        "client,postcode,at,kind\n{name},{postcode},2026-03-02 07:31,in\n{name},{postcode},2026-03-02 08:16,out\n"
    );
    let outcome = import_calls(&mut store, good.as_bytes()).unwrap();
    assert_eq!((outcome.imported, outcome.problems.len()), (2, 0));
    let row = &live_board(store.read(), store.now()).unwrap().rows[0];
    assert_eq!((row.state, row.check_in.as_str(), row.check_out.as_str()), (WatchState::Done, "07:31", "08:16"));
    let again = import_calls(&mut store, good.as_bytes()).unwrap();
    assert_eq!(again.imported, 0, "the same file twice is refused: the calls are already recorded");
    assert_eq!(again.problems.len(), 2);
}

#[test]
fn the_agency_sets_the_grace_period_and_the_step_interval_and_a_visit_with_no_carer_is_not_escalated() {
    use caredesk::risk::settings::{risk_settings, save_risk_settings, RiskSettings, RiskSettingsInput};
    let (mut store, clock, _) = watched_client();
    clock.set(at("2026-03-02 07:40"));
    assert_eq!(
        live_board(store.read(), store.now()).unwrap().rows[0].state,
        WatchState::Due,
        "10 minutes late is within 15"
    );
    let bad =
        save_risk_settings(&mut store, &RiskSettingsInput { grace_min: Some(0.0), ..RiskSettings::default().into() });
    assert!(bad.unwrap_err().to_string().contains("between 1 and 120"));
    save_risk_settings(
        &mut store,
        &RiskSettingsInput { grace_min: Some(5.0), step_min: Some(10.0), ..RiskSettings::default().into() },
    )
    .unwrap();
    assert_eq!(risk_settings(store.read()).unwrap().grace_min, 5);
    let row = &live_board(store.read(), store.now()).unwrap().rows[0];
    assert_eq!((row.state, row.overdue.as_str()), (WatchState::LateIn, "5 min"), "overdue since 07:35");
    // The visit has no carer on this rota: nobody to ring, so no steps.
    assert_eq!(row.carers, "No carer yet");
    assert_eq!((row.due_step, row.state_label.as_str()), (None, "No carer allocated: the visit may be missed"));
    // Someone rings in all the same (a carer sent by phone in the night):
    // the visit is not missed, and the board says the rota lacks their name.
    let visit = row.visit_id;
    record_call(&mut store, visit, CallKind::CheckIn, "07:42").unwrap();
    clock.set(at("2026-03-02 09:00"));
    let row = &live_board(store.read(), store.now()).unwrap().rows[0];
    assert_eq!(
        (row.state, row.due_step, row.state_label.as_str()),
        (WatchState::LateOut, None, "Check-out overdue · no carer allocated on the rota")
    );
}

#[test]
fn an_allocated_late_visit_escalates_on_the_agencys_interval() {
    use caredesk::risk::settings::{save_risk_settings, RiskSettings, RiskSettingsInput};
    let (mut store, clock, visit) = watched_client();
    let carer = caredesk::people::save_carer(&mut store, &support::carer_form()).unwrap();
    caredesk::demo::rota::allocate_in_turn(&mut store, "2026-03-02".parse().unwrap(), "2026-03-02".parse().unwrap())
        .unwrap();
    assert_eq!(
        support::count(
            &store,
            &format!("SELECT count(*) FROM visit_allocations WHERE carer_id = '{carer}' AND visit_id = '{visit}'")
        ),
        1
    );
    save_risk_settings(
        &mut store,
        &RiskSettingsInput { grace_min: Some(5.0), step_min: Some(10.0), ..RiskSettings::default().into() },
    )
    .unwrap();
    clock.set(at("2026-03-02 07:56"));
    let row = &live_board(store.read(), store.now()).unwrap().rows[0];
    assert_eq!(row.due_step, Some(Step::CallCarer), "the first step is due and not taken");
    assert_eq!(
        row.next_step, "Next step at 08:05 if nobody calls",
        "three steps are due by 07:55; the fourth at 08:05"
    );
}

#[test]
fn a_time_typed_after_midnight_for_a_late_evening_call_is_last_nights() {
    let (mut store, clock, visit) = watched_client();
    clock.set(at("2026-03-03 00:10"));
    record_call(&mut store, visit, CallKind::CheckOut, "23:50").unwrap();
    let stored = support::texts(&store, "SELECT at FROM visit_calls");
    assert_eq!(stored, vec!["2026-03-02T23:50:00Z".to_string()], "23:50 GMT on the 2nd, not the 3rd");
}
