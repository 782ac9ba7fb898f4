//! Allocating carers to visits through the write path, with the rules' say.

use crate::support::{self, count};
use caredesk::access::{create_first_user, save_user, sign_in, sign_out, Role};
use caredesk::history::record_history;
use caredesk::people::{self, PreferenceInput, PreferenceKind};
use caredesk::rota::{self, allocate, candidates, unallocate};
use caredesk::rules::{RuleId, Severity};
use caredesk::{Error, Store};
use chrono::NaiveDate;
use uuid::Uuid;

struct Agency {
    store: Store,
    client: Uuid,
    sarah: Uuid,
    excluded: Uuid,
    /// Monday 2, Wednesday 4 and Friday 6 March 2026, 07:30.
    visits: Vec<Uuid>,
}

/// Sarah works Mondays 07:00–14:30 with medication training; Tom is
/// excluded by the client; the client has a morning call Mon, Wed, Fri.
fn agency() -> Agency {
    let (mut store, _) = support::store();
    let sarah = people::save_carer(&mut store, &support::carer_form()).unwrap();
    let mut tom = support::carer_form();
    tom.given_name = "Tom".into();
    let excluded = people::save_carer(&mut store, &tom).unwrap();
    let mut client_form = support::client_form();
    client_form.carer_preferences.push(PreferenceInput {
        id: None,
        carer_id: Some(excluded),
        kind: Some(PreferenceKind::Excluded),
        reason: "Family complaint".into(),
    });
    let client = people::save_client(&mut store, &client_form).unwrap();
    people::save_package(&mut store, &support::package_form(client)).unwrap();
    let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
    rota::roll_forward(&mut store, d(2), d(8), &mut |_| {}).unwrap();
    let mut stmt = store.read().prepare("SELECT id FROM visits ORDER BY starts_at").unwrap();
    let visits =
        stmt.query_map([], |r| r.get::<_, String>(0)).unwrap().map(|id| id.unwrap().parse().unwrap()).collect();
    drop(stmt);
    Agency { store, client, sarah, excluded, visits }
}

#[test]
fn allocating_a_carer_who_fits_is_saved_and_shows_in_the_clients_history() {
    let mut a = agency();
    let warnings = allocate(&mut a.store, a.visits[0], 1, a.sarah, "").unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(count(&a.store, "SELECT count(*) FROM visit_allocations WHERE deleted_at IS NULL"), 1);
    let history = record_history(a.store.read(), a.client).unwrap();
    assert!(history.iter().any(|h| h.entity_label == "Allocation" && h.op == "insert"), "{history:?}");
}

#[test]
fn an_excluded_carer_is_refused_with_the_reason_and_nothing_is_saved() {
    let mut a = agency();
    let log = count(&a.store, "SELECT count(*) FROM change_log");
    match allocate(&mut a.store, a.visits[0], 1, a.excluded, "") {
        Err(error @ Error::Rules(_)) => {
            let Error::Rules(findings) = &error else { unreachable!() };
            assert!(findings.iter().any(|f| f.rule == RuleId::Excluded && f.severity == Severity::Block));
            assert!(
                error.to_string().starts_with("Not allowed:") && error.to_string().contains("Family complaint"),
                "{error}"
            );
            assert_eq!(error.payload().code, "rule_violation");
            assert!(!error.payload().findings.is_empty(), "the UI gets every finding");
        }
        other => panic!("expected the rules to refuse, got {other:?}"),
    }
    assert_eq!(count(&a.store, "SELECT count(*) FROM change_log"), log, "nothing written");
}

#[test]
fn a_warning_needs_a_reason_and_the_reason_is_kept_in_the_history() {
    let mut a = agency();
    // Wednesday: Sarah's availability is Mondays only.
    let without = allocate(&mut a.store, a.visits[1], 1, a.sarah, "  ");
    let Err(Error::Rules(findings)) = without else { panic!("expected a request for a reason, got {without:?}") };
    assert_eq!(findings.iter().map(|f| f.rule).collect::<Vec<_>>(), [RuleId::OutsideAvailability]);
    let gone_past = allocate(&mut a.store, a.visits[1], 1, a.sarah, "Sarah agreed to cover by phone").unwrap();
    assert_eq!(gone_past.len(), 1);
    let reason: String = a.store.read().query_row("SELECT reason FROM rule_overrides", [], |r| r.get(0)).unwrap();
    assert_eq!(reason, "Sarah agreed to cover by phone");
    let history = record_history(a.store.read(), a.client).unwrap();
    let overridden =
        history.iter().find(|h| h.entity_label == "Rule override").expect("the override is in the history");
    assert_eq!(overridden.actor, support::COORDINATOR);
}

#[test]
fn a_visit_says_beside_a_rule_gone_past_who_went_past_it_when_and_why_while_the_rule_stands() {
    let mut a = agency();
    assert!(rota::gone_past(&a.store, a.visits[1]).unwrap().is_empty(), "nothing gone past yet");
    allocate(&mut a.store, a.visits[1], 1, a.sarah, " Sarah agreed to cover by phone ").unwrap();
    let gone = rota::gone_past(&a.store, a.visits[1]).unwrap();
    assert_eq!(gone.len(), 1, "one reason for the one warning: {gone:?}");
    let past = &gone[0];
    assert_eq!((past.rule, past.carer_id), (RuleId::OutsideAvailability, Some(a.sarah)), "the rule, about Sarah");
    assert_eq!(past.reason, "Sarah agreed to cover by phone");
    assert_eq!(past.by, support::COORDINATOR, "who gave the reason, as the history names them");
    assert!(chrono::DateTime::parse_from_rfc3339(&past.at).is_ok(), "when, as an instant: {}", past.at);
    assert!(rota::gone_past(&a.store, a.visits[0]).unwrap().is_empty(), "another visit has none");

    // Sarah taken off: the warning no longer stands, and its reason is in the history only.
    unallocate(&mut a.store, a.visits[1], 1).unwrap();
    assert!(rota::gone_past(&a.store, a.visits[1]).unwrap().is_empty(), "no reason beside a rule that no longer fires");
    let history = record_history(a.store.read(), a.client).unwrap();
    assert!(history.iter().any(|h| h.entity_label == "Rule override"), "the reason is still in the history");
}

/// Sarah on Monday's 07:30 call; another client's call at the same time on
/// Monday, still waiting, whose id is returned.
fn sarah_at_0730_and_another_clients_monday_call(a: &mut Agency) -> Uuid {
    allocate(&mut a.store, a.visits[0], 1, a.sarah, "").unwrap();
    let other = people::save_client(&mut a.store, &support::client_form()).unwrap();
    people::save_package(&mut a.store, &support::package_form(other)).unwrap();
    let d = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    rota::roll_forward(&mut a.store, d, d, &mut |_| {}).unwrap();
    let id: String = a
        .store
        .read()
        .query_row("SELECT id FROM visits WHERE client_id = ?1", [other.to_string()], |r| r.get(0))
        .unwrap();
    id.parse().unwrap()
}

#[test]
fn a_block_is_gone_past_only_by_a_registered_manager_with_a_reason_and_is_recorded() {
    let mut a = agency();
    create_first_user(&mut a.store, &support::user("sam", "Sam Manager", Role::RegisteredManager)).unwrap();
    save_user(&mut a.store, &support::user("jo", "Jo Coordinator", Role::Coordinator)).unwrap();
    let excluded_from = |result: caredesk::Result<Vec<caredesk::rules::Finding>>| match result {
        Err(Error::Rules(findings)) => findings.iter().any(|f| f.rule == RuleId::Excluded),
        other => panic!("expected the rules to refuse, got {other:?}"),
    };
    let allocated = |a: &Agency| count(&a.store, "SELECT count(*) FROM visit_allocations");

    // A coordinator is stopped by the block, reason or not.
    sign_in(&mut a.store, "jo", support::PASSWORD).unwrap();
    assert!(excluded_from(allocate(&mut a.store, a.visits[0], 1, a.excluded, "Family asked for him today")));
    sign_out(&mut a.store);
    // A registered manager is asked for a reason, then may go ahead.
    sign_in(&mut a.store, "sam", support::PASSWORD).unwrap();
    assert!(excluded_from(allocate(&mut a.store, a.visits[0], 1, a.excluded, " ")));
    assert_eq!(allocated(&a), 0, "nothing allocated while refused");
    let gone_past = allocate(&mut a.store, a.visits[0], 1, a.excluded, "Family asked for him today").unwrap();
    assert_eq!(
        gone_past.iter().map(|f| (f.rule, f.severity)).collect::<Vec<_>>(),
        [(RuleId::Excluded, Severity::Block)]
    );

    let (rule, reason, actor): (String, String, String) = a
        .store
        .read()
        .query_row(
            "SELECT o.rule, o.reason, l.actor FROM rule_overrides o JOIN change_log l ON l.record_id = o.id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        (rule.as_str(), reason.as_str(), actor.as_str()),
        ("excluded", "Family asked for him today", "Sam Manager (sam)")
    );
    let history = record_history(a.store.read(), a.client).unwrap();
    assert!(history.iter().any(|h| h.entity_label == "Rule override"), "the override is in the client's history");
}

#[test]
fn moving_a_visit_onto_the_carers_other_visit_goes_ahead_only_for_a_registered_manager_with_a_reason() {
    let mut a = agency();
    // Sarah has the 07:30 call, and another client's call moved to 11:00.
    let later = sarah_at_0730_and_another_clients_monday_call(&mut a);
    let mut form = rota::visit_form(a.store.read(), later).unwrap();
    (form.start_time, form.scope) = ("11:00".into(), rota::EditScope::ThisVisit);
    rota::edit_visit(&mut a.store, &form).unwrap();
    allocate(&mut a.store, later, 1, a.sarah, "").unwrap();
    create_first_user(&mut a.store, &support::user("sam", "Sam Manager", Role::RegisteredManager)).unwrap();
    save_user(&mut a.store, &support::user("jo", "Jo Coordinator", Role::Coordinator)).unwrap();

    // Back to 07:30, the same time as her other call: a double booking.
    form.start_time = "07:30".into();
    form.reason = "She will do both, one after the other".into();
    sign_in(&mut a.store, "jo", support::PASSWORD).unwrap();
    let refused = rota::edit_visit(&mut a.store, &form);
    let Err(Error::Rules(findings)) = refused else { panic!("a coordinator is stopped by the block: {refused:?}") };
    assert!(findings.iter().any(|f| f.rule == RuleId::Overlap && f.severity == Severity::Block), "{findings:?}");
    sign_out(&mut a.store);
    sign_in(&mut a.store, "sam", support::PASSWORD).unwrap();
    let outcome = rota::edit_visit(&mut a.store, &form).unwrap();
    assert_eq!(outcome.visits_changed, 1);
    assert!(outcome.overridden.iter().any(|f| f.rule == RuleId::Overlap), "{:?}", outcome.overridden);
    let reasons = support::texts(&a.store, "SELECT reason FROM rule_overrides WHERE rule = 'overlap'");
    assert_eq!(reasons, ["She will do both, one after the other"]);
}

#[test]
fn candidates_come_best_first_and_an_excluded_carer_comes_last_with_why() {
    let a = agency();
    let list = candidates(&a.store, a.visits[0]).unwrap();
    assert_eq!(list.iter().map(|c| c.carer_id).collect::<Vec<_>>(), [a.sarah, a.excluded]);
    assert_eq!((list[0].blocks, list[0].warnings), (0, 0));
    assert!(list[1].blocks >= 1 && list[1].findings.iter().any(|f| f.message.to_string().contains("Family complaint")));
}

#[test]
fn among_carers_who_fit_the_one_the_visit_adds_least_travel_to_comes_first() {
    let mut a = agency();
    // Priya fits every rule too, but lives in Telford, 20 km from the
    // client in Shrewsbury; by name alone she would come before Sarah.
    let mut priya = support::carer_form();
    priya.given_name = "Priya".into();
    priya.family_name = "Jones".into();
    priya.town = "Telford".into();
    priya.postcode = "TF3 4AB".into();
    priya.home_lat = Some(52.6766);
    priya.home_lon = Some(-2.4469);
    let priya = people::save_carer(&mut a.store, &priya).unwrap();
    let list = candidates(&a.store, a.visits[0]).unwrap();
    assert_eq!(list.iter().map(|c| c.carer_id).collect::<Vec<_>>(), [a.sarah, priya, a.excluded]);
    assert_eq!((list[1].blocks, list[1].warnings), (0, 0), "Priya fits every rule: {:?}", list[1].findings);
    let (near, far) = (list[0].travel.unwrap().minutes, list[1].travel.unwrap().minutes);
    assert!(near < far && far >= 40, "Sarah adds {near} min of travel, Priya {far} min");
    assert_eq!(list[2].travel, None, "a carer the rules rule out is not weighed for travel");
}

#[test]
fn a_carer_with_no_other_visit_that_day_is_weighed_from_home_and_back() {
    let mut a = agency();
    // Albert, a neighbour, has a 10:00 call on Mondays, which Sarah does.
    let mut albert = support::client_form();
    albert.given_name = "Albert".into();
    let albert = people::save_client(&mut a.store, &albert).unwrap();
    let mut package = support::package_form(albert);
    package.start_time = "10:00".into();
    people::save_package(&mut a.store, &package).unwrap();
    let monday = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    rota::roll_forward(&mut a.store, monday, monday, &mut |_| {}).unwrap();
    let albert_monday = support::texts(
        &a.store,
        &format!("SELECT id FROM visits WHERE client_id = '{albert}' AND local_date = '2026-03-02'"),
    )[0]
    .parse()
    .unwrap();
    allocate(&mut a.store, albert_monday, 1, a.sarah, "").unwrap();
    // Priya fits the 07:30 call too, with nothing else that Monday.
    let mut priya = support::carer_form();
    priya.given_name = "Priya".into();
    let priya = people::save_carer(&mut a.store, &priya).unwrap();

    let list = candidates(&a.store, a.visits[0]).unwrap();
    let travel = |carer| list.iter().find(|c| c.carer_id == carer).and_then(|c| c.travel).unwrap();
    assert!(!travel(a.sarah).from_home_and_back, "Sarah goes on to Albert's: {:?}", travel(a.sarah));
    assert!(travel(priya).from_home_and_back, "Priya goes home after: {:?}", travel(priya));
}

#[test]
fn a_second_slot_is_refused_on_a_single_carer_visit() {
    let mut a = agency();
    let result = allocate(&mut a.store, a.visits[0], 2, a.sarah, "");
    assert!(matches!(&result, Err(Error::Invalid(f)) if f[0].field == "slot"), "{result:?}");
}

#[test]
fn unallocating_puts_the_visit_back_in_the_queue() {
    let mut a = agency();
    allocate(&mut a.store, a.visits[0], 1, a.sarah, "").unwrap();
    unallocate(&mut a.store, a.visits[0], 1).unwrap();
    assert_eq!(count(&a.store, "SELECT count(*) FROM visit_allocations WHERE deleted_at IS NULL"), 0);
    assert!(candidates(&a.store, a.visits[0]).unwrap().iter().any(|c| c.carer_id == a.sarah));
    assert!(matches!(unallocate(&mut a.store, a.visits[0], 1), Err(Error::NotFound { .. })));
}

#[test]
fn double_booking_the_same_carer_is_refused_with_both_visits_named() {
    let mut a = agency();
    let clash = sarah_at_0730_and_another_clients_monday_call(&mut a);
    let result = allocate(&mut a.store, clash, 1, a.sarah, "");
    let Err(Error::Rules(findings)) = result else { panic!("expected a clash, got {result:?}") };
    let overlap = findings.iter().find(|f| f.rule == RuleId::Overlap).expect("double booking found");
    assert!(overlap.visit_ids.contains(&a.visits[0]) && overlap.visit_ids.contains(&clash));
}

#[test]
fn giving_a_visit_fills_the_first_empty_slot_or_the_slot_of_the_carer_it_moves_from() {
    let mut a = agency();
    let mut amy = support::carer_form();
    amy.given_name = "Amy".into();
    let amy = people::save_carer(&mut a.store, &amy).unwrap();
    rota::give(&mut a.store, a.visits[0], a.sarah, None, "").unwrap();
    let slot_of = |store: &Store, carer: Uuid| -> i64 {
        store
            .read()
            .query_row(
                "SELECT slot FROM visit_allocations WHERE carer_id = ?1 AND deleted_at IS NULL",
                [carer.to_string()],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(slot_of(&a.store, a.sarah), 1);
    // Dragged from Sarah to Amy: Amy takes Sarah's slot and Sarah is off.
    rota::give(&mut a.store, a.visits[0], amy, Some(a.sarah), "").unwrap();
    assert_eq!(slot_of(&a.store, amy), 1);
    assert_eq!(count(&a.store, "SELECT count(*) FROM visit_allocations WHERE deleted_at IS NULL"), 1);
    // The one slot is taken, and nobody is moving out of it: refused.
    let full = rota::give(&mut a.store, a.visits[0], a.sarah, None, "");
    assert!(matches!(&full, Err(Error::Conflict(m)) if m.contains("already has its carers")), "{full:?}");
}

#[test]
fn two_carers_who_share_a_name_are_told_apart_by_postcode_in_candidates_reasons_and_the_board() {
    let mut a = agency();
    // A second Sarah Evans, living elsewhere, free on Wednesdays only.
    let mut namesake = support::carer_form();
    namesake.postcode = "sy1 2aa".into();
    namesake.availability[0].weekday = Some(caredesk::people::Weekday::Wed);
    let other = people::save_carer(&mut a.store, &namesake).unwrap();
    let (ours, theirs) = ("Sarah Evans (SY3 7AB)", "Sarah Evans (SY1 2AA)");

    // Monday's call: both are candidates, each named with their postcode,
    // and the second's reason (not free on Mondays) says which Sarah.
    let list = candidates(&a.store, a.visits[0]).unwrap();
    let name = |id: Uuid| list.iter().find(|c| c.carer_id == id).map(|c| c.name.as_str());
    assert_eq!((name(a.sarah), name(other)), (Some(ours), Some(theirs)));
    let why = &list.iter().find(|c| c.carer_id == other).unwrap().findings;
    let outside = why.iter().find(|f| f.rule == RuleId::OutsideAvailability).expect("not free on Mondays");
    assert!(
        outside.message.to_string().contains(theirs) && !outside.message.to_string().contains(ours),
        "the reason names the carer told apart: {}",
        outside.message
    );
    // Tom has nobody to be told apart from.
    assert_eq!(name(a.excluded), Some("Tom Evans"));

    allocate(&mut a.store, a.visits[0], 1, a.sarah, "").unwrap();
    let board = rota::board(&a.store, NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), 7).unwrap();
    let mut rows: Vec<&str> = board.carers.iter().map(|c| c.name.as_str()).collect();
    rows.sort();
    assert_eq!(rows, [theirs, ours, "Tom Evans"]);
    let monday = board.visits.iter().find(|v| v.id == a.visits[0]).unwrap();
    assert_eq!(
        monday.carers.iter().map(|c| &*c.name).collect::<Vec<_>>(),
        [ours],
        "the visit's block says which Sarah"
    );
}
