//! Changing visits: this visit only or this and future, cancelling with a
//! reason, and the rules and the history that go with it.

use crate::support::{self, count};
use caredesk::access::Operation;
use caredesk::history::visit_history;
use caredesk::people;
use caredesk::rota::{self, allocate, cancel_visit, edit_visit, reinstate_visit, visit_form, EditScope, Visit};
use caredesk::rules::{RuleId, Severity};
use caredesk::{Error, Store};
use chrono::NaiveDate;
use uuid::Uuid;

fn d(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, day).unwrap()
}

struct Agency {
    store: Store,
    client: Uuid,
    package: Uuid,
    sarah: Uuid,
}

/// Margaret's morning call, Mon/Wed/Fri 07:30, rolled forward for March.
fn agency() -> Agency {
    let (mut store, _) = support::store();
    let sarah = people::save_carer(&mut store, &support::carer_form()).unwrap();
    let client = people::save_client(&mut store, &support::client_form()).unwrap();
    let package = people::save_package(&mut store, &support::package_form(client)).unwrap();
    rota::roll_forward(&mut store, d(3, 2), d(3, 31), &mut |_| {}).unwrap();
    Agency { store, client, package, sarah }
}

fn visit_on(store: &Store, date: NaiveDate) -> Visit {
    let id: String = store
        .read()
        .query_row("SELECT id FROM visits WHERE local_date = ?1 AND deleted_at IS NULL", [date.to_string()], |r| {
            r.get(0)
        })
        .unwrap_or_else(|_| panic!("a visit on {date}"));
    rota::visits::load_visit(store.read(), id.parse().unwrap()).unwrap()
}

fn times(store: &Store) -> Vec<(String, String)> {
    let mut stmt = store
        .read()
        .prepare("SELECT local_date, local_time FROM visits WHERE deleted_at IS NULL AND status = 'planned' ORDER BY local_date")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect()
}

#[test]
fn moving_this_visit_only_changes_that_visit_and_roll_forward_leaves_it_alone() {
    let mut a = agency();
    let wednesday = visit_on(&a.store, d(3, 11));
    let mut form = visit_form(a.store.read(), wednesday.id).unwrap();
    form.start_time = "08:15".into();
    let outcome = edit_visit(&mut a.store, &form).unwrap();
    assert_eq!(outcome.visits_changed, 1);
    let moved = visit_on(&a.store, d(3, 11));
    assert_eq!(moved.local_time.format("%H:%M").to_string(), "08:15");
    assert_eq!(moved.starts_at.to_rfc3339(), "2026-03-11T08:15:00+00:00", "GMT in March before the change");
    assert!(moved.edited_by_hand);
    assert_eq!(visit_on(&a.store, d(3, 13)).local_time.format("%H:%M").to_string(), "07:30", "Friday untouched");

    let again = rota::roll_forward(&mut a.store, d(3, 2), d(3, 31), &mut |_| {}).unwrap();
    assert_eq!((again.created, again.updated, again.kept_hand_edited), (0, 0, 1));
    assert_eq!(visit_on(&a.store, d(3, 11)).local_time.format("%H:%M").to_string(), "08:15");
    let history = visit_history(a.store.read(), wednesday.id).unwrap();
    let change = history.iter().find(|h| h.op == "update").expect("the edit is in the visit's history");
    assert_eq!(change.actor, support::COORDINATOR);
    assert!(change.changes.iter().any(|c| c.field == "local_time" && c.after == "08:15"), "{change:?}");
}

#[test]
fn this_and_future_changes_the_package_from_that_date_and_keeps_earlier_visits() {
    let mut a = agency();
    // Someone already moved Friday 20 March by hand: that stays as it is.
    let mut friday = visit_form(a.store.read(), visit_on(&a.store, d(3, 20)).id).unwrap();
    friday.start_time = "09:00".into();
    edit_visit(&mut a.store, &friday).unwrap();

    let mut form = visit_form(a.store.read(), visit_on(&a.store, d(3, 16)).id).unwrap();
    form.start_time = "08:00".into();
    form.duration_min = Some(60.0);
    form.scope = EditScope::ThisAndFuture;
    let outcome = edit_visit(&mut a.store, &form).unwrap();
    assert_eq!((outcome.visits_changed, outcome.kept_hand_edited), (6, 1), "16–30 March but the 20th");

    let times = times(&a.store);
    let at = |date: &str| times.iter().find(|(d, _)| d == date).map(|(_, t)| t.as_str());
    assert_eq!(at("2026-03-13"), Some("07:30"), "before the change");
    assert_eq!(at("2026-03-16"), Some("08:00"));
    assert_eq!(at("2026-03-20"), Some("09:00"), "edited by hand");
    assert_eq!(at("2026-03-30"), Some("08:00"));

    let packages = people::packages_of(a.store.read(), a.client).unwrap();
    let old = packages.iter().find(|p| p.id == a.package).expect("the old package stays, ended");
    assert_eq!(old.ends_on, Some(d(3, 15)));
    let new = packages.iter().find(|p| p.id != a.package).expect("a package from the 16th");
    assert_eq!((new.starts_on, new.duration_min), (d(3, 16), 60));

    // Rolling forward again, and on into April, follows the new package.
    let again = rota::roll_forward(&mut a.store, d(3, 2), d(4, 10), &mut |_| {}).unwrap();
    assert_eq!((again.updated, again.removed), (0, 0), "{again:?}");
    assert_eq!(
        count(&a.store, "SELECT count(*) FROM visits WHERE local_date = '2026-03-16' AND deleted_at IS NULL"),
        1
    );
    assert_eq!(visit_on(&a.store, d(4, 6)).duration_min, 60);
}

#[test]
fn this_and_future_keeps_a_fortnightly_call_in_the_same_weeks() {
    let (mut store, _) = support::store();
    people::save_carer(&mut store, &support::carer_form()).unwrap();
    let client = people::save_client(&mut store, &support::client_form()).unwrap();
    let mut form = support::package_form(client);
    form.weekdays = vec![people::Weekday::Mon];
    form.cycle_weeks = Some(2.0);
    form.cycle_week_list = vec![2];
    people::save_package(&mut store, &form).unwrap();
    rota::roll_forward(&mut store, d(3, 2), d(4, 26), &mut |_| {}).unwrap();
    let before: Vec<String> = times(&store).into_iter().map(|(d, _)| d).collect();
    assert_eq!(before, ["2026-03-09", "2026-03-23", "2026-04-06", "2026-04-20"]);

    let mut edit = visit_form(store.read(), visit_on(&store, d(3, 23)).id).unwrap();
    edit.start_time = "10:00".into();
    edit.scope = EditScope::ThisAndFuture;
    edit_visit(&mut store, &edit).unwrap();
    rota::roll_forward(&mut store, d(3, 2), d(5, 31), &mut |_| {}).unwrap();
    let after: Vec<(String, String)> = times(&store);
    let expected = [
        ("2026-03-09", "07:30"),
        ("2026-03-23", "10:00"),
        ("2026-04-06", "10:00"),
        ("2026-04-20", "10:00"),
        ("2026-05-04", "10:00"),
        ("2026-05-18", "10:00"),
    ];
    assert_eq!(after, expected.map(|(d, t)| (d.to_string(), t.to_string())));
}

#[test]
fn moving_a_visit_onto_its_carers_other_visit_is_refused_and_nothing_is_saved() {
    let mut a = agency();
    let other = people::save_client(&mut a.store, &support::client_form()).unwrap();
    let mut lunch = support::package_form(other);
    lunch.label = "Lunch call".into();
    lunch.start_time = "12:00".into();
    people::save_package(&mut a.store, &lunch).unwrap();
    rota::roll_forward(&mut a.store, d(3, 2), d(3, 2), &mut |_| {}).unwrap();
    let mut stmt =
        a.store.read().prepare("SELECT id FROM visits WHERE local_date = '2026-03-02' ORDER BY starts_at").unwrap();
    let monday: Vec<Uuid> =
        stmt.query_map([], |r| r.get::<_, String>(0)).unwrap().map(|id| id.unwrap().parse().unwrap()).collect();
    drop(stmt);
    allocate(&mut a.store, monday[0], 1, a.sarah, "").unwrap();
    allocate(&mut a.store, monday[1], 1, a.sarah, "").unwrap();
    let log = count(&a.store, "SELECT count(*) FROM change_log");

    let mut form = visit_form(a.store.read(), monday[0]).unwrap();
    form.start_time = "11:45".into();
    let result = edit_visit(&mut a.store, &form);
    let Err(Error::Rules(findings)) = result else { panic!("expected the rules to refuse, got {result:?}") };
    let clash = findings.iter().find(|f| f.rule == RuleId::Overlap).expect("a double booking");
    assert_eq!(clash.severity, Severity::Block);
    assert!(clash.message.to_string().contains("Sarah Evans"), "{}", clash.message);
    assert_eq!(count(&a.store, "SELECT count(*) FROM change_log"), log, "nothing written");
}

#[test]
fn a_visit_shortened_under_30_minutes_needs_a_reason_which_the_visit_history_keeps() {
    let mut a = agency();
    let visit = visit_on(&a.store, d(3, 4));
    let mut form = visit_form(a.store.read(), visit.id).unwrap();
    form.duration_min = Some(20.0);
    let asked = edit_visit(&mut a.store, &form);
    let Err(Error::Rules(findings)) = asked else { panic!("expected a request for a reason, got {asked:?}") };
    assert_eq!(findings.iter().map(|f| f.rule).collect::<Vec<_>>(), [RuleId::ShortVisit]);

    form.reason = "Only a medication prompt this week, agreed with her daughter".into();
    let outcome = edit_visit(&mut a.store, &form).unwrap();
    assert_eq!(outcome.overridden.len(), 1);
    let history = visit_history(a.store.read(), visit.id).unwrap();
    let overridden = history.iter().find(|h| h.entity_label == "Rule override").expect("override in the history");
    assert!(
        overridden.changes.iter().any(|c| c.field == "reason" && c.after == form.reason.as_str()),
        "{overridden:?}"
    );
    let beside: Vec<(RuleId, String)> =
        caredesk::rota::gone_past(&a.store, visit.id).unwrap().into_iter().map(|g| (g.rule, g.reason)).collect();
    assert_eq!(beside, [(RuleId::ShortVisit, form.reason.clone())], "the reason stands beside the warning");
}

#[test]
fn a_form_with_mistakes_names_each_field_and_changes_nothing() {
    let mut a = agency();
    let visit = visit_on(&a.store, d(3, 4));
    let mut form = visit_form(a.store.read(), visit.id).unwrap();
    form.start_time = "25:99".into();
    form.duration_min = Some(2.0);
    form.carers_required = Some(3.0);
    let log = count(&a.store, "SELECT count(*) FROM change_log");
    let Err(Error::Invalid(fields)) = edit_visit(&mut a.store, &form) else { panic!("expected field errors") };
    let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(names, ["start_time", "duration_min", "carers_required"]);
    assert_eq!(count(&a.store, "SELECT count(*) FROM change_log"), log);
}

#[test]
fn cancelling_needs_a_reason_frees_the_carer_and_roll_forward_does_not_bring_it_back() {
    let mut a = agency();
    let visit = visit_on(&a.store, d(3, 2));
    allocate(&mut a.store, visit.id, 1, a.sarah, "").unwrap();
    assert!(matches!(cancel_visit(&mut a.store, visit.id, " "), Err(Error::Invalid(f)) if f[0].field == "reason"));

    cancel_visit(&mut a.store, visit.id, "Client at a hospital appointment").unwrap();
    let cancelled = visit_on(&a.store, d(3, 2));
    assert_eq!(cancelled.status, rota::VisitStatus::Cancelled);
    assert_eq!(cancelled.cancel_reason, "Client at a hospital appointment");
    assert_eq!(count(&a.store, "SELECT count(*) FROM visit_allocations WHERE deleted_at IS NULL"), 0);
    rota::roll_forward(&mut a.store, d(3, 2), d(3, 8), &mut |_| {}).unwrap();
    assert_eq!(visit_on(&a.store, d(3, 2)).status, rota::VisitStatus::Cancelled, "still cancelled");

    reinstate_visit(&mut a.store, visit.id).unwrap();
    assert_eq!(visit_on(&a.store, d(3, 2)).status, rota::VisitStatus::Planned);
}

#[test]
fn a_one_off_visit_cannot_change_future_visits() {
    let mut a = agency();
    let visit = visit_on(&a.store, d(3, 2));
    // Detach the visit from its package, as a one-off visit is.
    a.store
        .write(Operation::EditVisits, |changes| {
            changes.update(&visit, &Visit { package_id: None, ..visit.clone() })?;
            Ok(())
        })
        .unwrap();
    let mut form = visit_form(a.store.read(), visit.id).unwrap();
    form.scope = EditScope::ThisAndFuture;
    let result = edit_visit(&mut a.store, &form);
    assert!(matches!(&result, Err(Error::Invalid(f)) if f[0].field == "scope"), "{result:?}");
}
