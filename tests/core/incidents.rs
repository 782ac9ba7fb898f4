//! Incident records: the deadlines the law sets, the notifications proposed,
//! a closed incident that refuses change (in the core and in the database),
//! addenda, and the trends over a generated history.

use crate::support::{self, count};
use caredesk::incidents::notify::{bank_holidays, due_at, proposals, working_days_after, IncidentFacts};
use caredesk::incidents::*;
use caredesk::people;
use caredesk::{Error, Store};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::London;
use std::collections::BTreeMap;
use uuid::Uuid;

fn london(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    London.with_ymd_and_hms(y, m, d, h, min, 0).earliest().unwrap().with_timezone(&Utc)
}

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

#[test]
fn without_delay_means_24_hours_of_real_time_even_across_the_march_clock_change() {
    // Reported 10:00 GMT on Saturday 28 March 2026; the clocks go forward that night.
    let reported = london(2026, 3, 28, 10, 0);
    for kind in [
        NotificationKind::CqcIncident,
        NotificationKind::CqcDeath,
        NotificationKind::Safeguarding,
        NotificationKind::Police,
        NotificationKind::Family,
    ] {
        assert_eq!(due_at(kind, reported, reported), london(2026, 3, 29, 11, 0), "{kind:?}: 11:00 BST on Sunday");
    }
}

#[test]
fn the_ico_has_72_hours_across_the_october_clock_change() {
    let reported = london(2026, 10, 23, 12, 0); // Friday, BST
    assert_eq!(due_at(NotificationKind::Ico, reported, reported), london(2026, 10, 26, 11, 0), "Monday 11:00 GMT");
}

#[test]
fn riddor_counts_calendar_days_from_the_incident_to_the_end_of_the_london_day() {
    // 10 days from Thursday 19 March 2026 is Sunday 29 March, the day the clocks go forward.
    let occurred = london(2026, 3, 19, 15, 0);
    let reported = occurred + chrono::Duration::days(2);
    let riddor = due_at(NotificationKind::Riddor, occurred, reported);
    assert_eq!(riddor, london(2026, 3, 29, 23, 59));
    assert_eq!(riddor, Utc.with_ymd_and_hms(2026, 3, 29, 22, 59, 0).unwrap(), "23:59 BST is 22:59 UTC");
    // 15 days from Saturday 10 October 2026 is Sunday 25 October, when they go back.
    let occurred = london(2026, 10, 10, 8, 0);
    let over_7 = due_at(NotificationKind::RiddorOver7Days, occurred, occurred);
    assert_eq!(over_7, Utc.with_ymd_and_hms(2026, 10, 25, 23, 59, 0).unwrap(), "23:59 GMT on Sunday");
}

#[test]
fn the_commissioner_has_two_working_days_skipping_weekends_and_bank_holidays() {
    // Reported on Good Friday 2026: Easter Monday does not count either.
    let good_friday = london(2026, 4, 3, 16, 0);
    assert_eq!(due_at(NotificationKind::Commissioner, good_friday, good_friday), london(2026, 4, 8, 23, 59));
    // Reported on Friday 6 November 2026: Monday and Tuesday.
    assert_eq!(working_days_after(date("2026-11-06"), 2), date("2026-11-10"));
    // Christmas Eve 2026: Christmas Day, the weekend and Boxing Day's Monday substitute are skipped.
    assert_eq!(working_days_after(date("2026-12-24"), 2), date("2026-12-30"));
}

#[test]
fn bank_holidays_match_the_published_england_and_wales_lists() {
    let expected_2026 = [
        "2026-01-01",
        "2026-04-03",
        "2026-04-06",
        "2026-05-04",
        "2026-05-25",
        "2026-08-31",
        "2026-12-25",
        "2026-12-28",
    ];
    let expected_2027 = [
        "2027-01-01",
        "2027-03-26",
        "2027-03-29",
        "2027-05-03",
        "2027-05-31",
        "2027-08-30",
        "2027-12-27",
        "2027-12-28",
    ];
    for (year, expected) in [(2026, expected_2026), (2027, expected_2027)] {
        let mut got = bank_holidays(year);
        got.sort();
        assert_eq!(got, expected.map(date).to_vec(), "{year}");
    }
}

fn facts(kind: IncidentKind, severity: Harm, worker: bool, client: bool) -> IncidentFacts {
    IncidentFacts { kind, severity, worker_involved: worker, client_involved: client, worker_off_over_7_days: false }
}

fn kinds(f: &IncidentFacts) -> Vec<NotificationKind> {
    proposals(f).into_iter().map(|(k, _)| k).collect()
}

#[test]
fn the_notifications_proposed_follow_the_type_and_severity_each_with_a_reason() {
    use NotificationKind as N;
    let death = facts(IncidentKind::Death, Harm::Death, true, true);
    assert_eq!(kinds(&death), [N::CqcDeath, N::Family, N::Commissioner]);
    let bad_fall = facts(IncidentKind::Fall, Harm::Severe, false, true);
    assert_eq!(kinds(&bad_fall), [N::CqcIncident, N::Family, N::Commissioner]);
    let assault = facts(IncidentKind::Aggression, Harm::Severe, true, false);
    assert_eq!(kinds(&assault), [N::CqcIncident, N::Riddor, N::Police]);
    let off_work = IncidentFacts { worker_off_over_7_days: true, ..assault };
    assert!(kinds(&off_work).contains(&N::RiddorOver7Days));
    assert_eq!(kinds(&facts(IncidentKind::DataBreach, Harm::NoHarm, false, true)), [N::Ico]);
    assert_eq!(
        kinds(&facts(IncidentKind::Safeguarding, Harm::Low, false, true))[..2],
        [N::CqcIncident, N::Safeguarding]
    );
    // Near misses: nothing to notify.
    assert!(kinds(&facts(IncidentKind::NearMiss, Harm::NoHarm, true, true)).is_empty());
    assert!(proposals(&death).iter().all(|(_, why)| why.len() > 20), "each says why");
}

struct Agency {
    store: Store,
    carer: Uuid,
    client: Uuid,
}

fn agency() -> Agency {
    let (mut store, _) = support::store();
    let carer = people::save_carer(&mut store, &support::carer_form()).unwrap();
    let client = people::save_client(&mut store, &support::client_form()).unwrap();
    Agency { store, carer, client }
}

/// A fall at 08:00 on Monday 2 March 2026, reported at 08:20 (the store's clock says 09:00).
fn fall(a: &Agency, severity: Harm) -> IncidentInput {
    IncidentInput {
        occurred: "2026-03-02 08:00".into(),
        reported: "2026-03-02T08:20".into(),
        reported_by: "Sarah Jones".into(),
        reported_how: Some(ReportedHow::Phone),
        kind: Some(IncidentKind::Fall),
        severity: Some(severity),
        location: "Bedroom".into(),
        description: "Found on the floor beside the bed".into(),
        immediate_action: "Checked for injury, called 111".into(),
        body_side: "Back".into(),
        body_region: "left hip".into(),
        people: vec![
            PersonInput { role: Some(PersonRole::Client), client_id: Some(a.client), ..Default::default() },
            PersonInput { role: Some(PersonRole::Carer), carer_id: Some(a.carer), ..Default::default() },
        ],
        ..Default::default()
    }
}

#[test]
fn a_recorded_fall_gets_its_notifications_proposed_with_deadlines() {
    let mut a = agency();
    let form = fall(&a, Harm::Severe);
    let id = save_incident(&mut a.store, &form).unwrap();
    let detail = incident_detail(a.store.read(), id, a.store.now()).unwrap();
    assert_eq!(detail.incident.body_map, "Back: left hip");
    assert_eq!(detail.people.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().len(), 2);
    let cqc = detail.notifications.iter().find(|n| n.notification.kind == NotificationKind::CqcIncident).unwrap();
    assert_eq!(cqc.notification.due_at, london(2026, 3, 3, 8, 20), "24 hours after it was reported");
    assert_eq!(cqc.notification.decision, Decision::Undecided);
    assert!(!cqc.overdue);
    assert_eq!(
        detail.notifications.iter().map(|n| n.notification.kind).collect::<Vec<_>>(),
        [
            NotificationKind::CqcIncident,
            NotificationKind::Riddor,
            NotificationKind::Family,
            NotificationKind::Commissioner
        ]
    );
    let waiting = waiting_notifications(a.store.read(), london(2026, 3, 3, 9, 0)).unwrap();
    let overdue: Vec<&str> = waiting.iter().filter(|w| w.overdue).map(|w| w.label.as_str()).collect();
    assert_eq!(overdue, ["CQC notification (Regulation 18)", "Family or key people"], "a day later, the 24-hour ones");
    assert_eq!(waiting.len(), 4, "the commissioner's and RIDDOR's are waiting, not yet overdue");
}

/// The incident page shows each carer's visits that day from the rota: the
/// day of the incident only, in time order, the incident's own marked.
#[test]
fn an_incident_shows_the_carers_visits_of_that_day_and_not_the_next() {
    let mut a = agency();
    let mut lunch = support::package_form(a.client);
    lunch.label = "Lunch call".into();
    lunch.start_time = "12:30".into();
    people::save_package(&mut a.store, &support::package_form(a.client)).unwrap();
    people::save_package(&mut a.store, &lunch).unwrap();
    caredesk::rota::roll_forward(&mut a.store, date("2026-03-02"), date("2026-03-04"), &mut |_| {}).unwrap();
    let visits: Vec<(Uuid, String)> = a
        .store
        .read()
        .prepare("SELECT id, local_date FROM visits ORDER BY starts_at")
        .unwrap()
        .query_map([], |r| Ok((r.get::<_, String>(0)?.parse().unwrap(), r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(visits.len(), 4, "Monday's and Wednesday's two calls");
    for (visit, _) in &visits {
        caredesk::rota::allocate(&mut a.store, *visit, 1, a.carer, "Cover").unwrap();
    }
    let mut form = fall(&a, Harm::Low);
    form.visit_id = Some(visits[0].0);
    let id = save_incident(&mut a.store, &form).unwrap();
    let detail = incident_detail(a.store.read(), id, a.store.now()).unwrap();
    let day: Vec<(Uuid, bool)> = detail.carer_days[0].visits.iter().map(|v| (v.visit_id, v.this_visit)).collect();
    assert_eq!(day, [(visits[0].0, true), (visits[1].0, false)], "Monday 2 March's two calls, the 07:30 one first");
}

#[test]
fn a_form_with_mistakes_reports_every_one_and_saves_nothing() {
    let mut a = agency();
    let mut form = fall(&a, Harm::Low);
    form.occurred = "2026-03-29 01:30".into(); // the hour the clocks skip
    form.reported = "2026-03-01 10:00".into();
    form.description = "  ".into();
    form.body_side = "Front".into();
    form.body_region = String::new();
    form.people.push(PersonInput { role: Some(PersonRole::Other), ..Default::default() });
    let Err(Error::Invalid(errors)) = save_incident(&mut a.store, &form) else { panic!("refused") };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["occurred", "description", "body_region", "people[2].name"], "{errors:?}");
    assert!(errors[0].message.to_string().contains("clocks went forward"));
    assert_eq!(count(&a.store, "SELECT count(*) FROM incidents"), 0);
}

#[test]
fn not_notifying_needs_a_reason_and_closing_waits_for_every_decision_and_action() {
    let mut a = agency();
    let form = fall(&a, Harm::Moderate);
    let id = save_incident(&mut a.store, &form).unwrap();
    let notes = incident_detail(a.store.read(), id, a.store.now()).unwrap().notifications;
    let family = notes.iter().find(|n| n.notification.kind == NotificationKind::Family).unwrap().notification.id;
    let commissioner =
        notes.iter().find(|n| n.notification.kind == NotificationKind::Commissioner).unwrap().notification.id;
    assert!(matches!(decide_notification(&mut a.store, family, Decision::NotNotify, " "), Err(Error::Invalid(_))));
    save_follow_up(
        &mut a.store,
        &FollowUpInput {
            incident_id: id,
            kind: Some(ActionKind::Action),
            description: "Falls risk assessment".into(),
            owner: "Jo".into(),
            due_on: "2026-03-09".into(),
            ..Default::default()
        },
    )
    .unwrap();

    let Err(Error::Invalid(missing)) = set_status(&mut a.store, id, IncidentStatus::Closed) else { panic!() };
    let said: Vec<&str> = missing.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(said.len(), 3, "two decisions and one action: {said:?}");
    assert!(said.iter().any(|m| m.contains("Falls risk assessment")));

    decide_notification(&mut a.store, family, Decision::NotNotify, "Her son was there and rang us").unwrap();
    record_sent(&mut a.store, commissioner, "2026-03-02 08:50", "SCC-4411").unwrap();
    let action = incident_detail(a.store.read(), id, a.store.now()).unwrap().follow_ups[0].follow_up.clone();
    save_follow_up(
        &mut a.store,
        &FollowUpInput {
            id: Some(action.id),
            incident_id: id,
            kind: Some(action.kind),
            description: action.description,
            owner: action.owner,
            due_on: "2026-03-09".into(),
            done_on: "2026-03-02".into(),
            carer_id: None,
        },
    )
    .unwrap();
    set_status(&mut a.store, id, IncidentStatus::Closed).unwrap();
    let detail = incident_detail(a.store.read(), id, a.store.now()).unwrap();
    assert_eq!(detail.incident.closed_by, support::COORDINATOR);
    let sent = detail.notifications.iter().find(|n| n.notification.id == commissioner).unwrap();
    assert_eq!(sent.notification.sent_by, support::COORDINATOR);
    assert!(sent.state.contains("SCC-4411"), "{}", sent.state);
}

fn closed_incident(a: &mut Agency) -> Uuid {
    let mut form = fall(a, Harm::NoHarm);
    form.people.truncate(1);
    form.kind = Some(IncidentKind::NearMiss);
    let id = save_incident(&mut a.store, &form).unwrap();
    set_status(&mut a.store, id, IncidentStatus::Closed).unwrap();
    id
}

#[test]
fn a_closed_incident_refuses_edits_in_the_core_and_at_the_database() {
    let mut a = agency();
    let id = closed_incident(&mut a);
    let mut form = incident_form(a.store.read(), Some(id), None, "x", a.store.now()).unwrap();
    form.description = "Changed afterwards".into();
    let refused = save_incident(&mut a.store, &form);
    assert!(matches!(&refused, Err(Error::Conflict(m)) if m.contains("addendum")), "{refused:?}");

    // Past the core, straight at the database: every table of the record refuses.
    let conn = a.store.read();
    let attempts = [
        format!("UPDATE incidents SET description = 'x' WHERE id = '{id}'"),
        format!("DELETE FROM incidents WHERE id = '{id}'"),
        format!(
            "INSERT INTO incident_people (id, incident_id, role, name, involvement) VALUES ('{}', '{id}', 'other', 'A', '')",
            Uuid::now_v7()
        ),
        format!("UPDATE incident_people SET involvement = 'x' WHERE incident_id = '{id}'"),
    ];
    for sql in attempts {
        let error = conn.execute(&sql, []).expect_err(&sql).to_string();
        assert!(error.contains("closed incident cannot be changed"), "{sql}: {error}");
    }
    assert_eq!(
        count(&a.store, &format!("SELECT count(*) FROM incidents WHERE description LIKE 'Found%' AND id = '{id}'")),
        1
    );
}

#[test]
fn addenda_are_added_to_a_closed_incident_with_who_and_when_and_never_changed() {
    let mut a = agency();
    let id = closed_incident(&mut a);
    add_addendum(&mut a.store, id, "The time was 07:50, not 08:00 (checked with the carer)").unwrap();
    assert!(matches!(add_addendum(&mut a.store, id, "  "), Err(Error::Invalid(_))));
    let detail = incident_detail(a.store.read(), id, a.store.now()).unwrap();
    assert_eq!(detail.addenda.len(), 1);
    assert_eq!(detail.addenda[0].written_by, support::COORDINATOR);
    assert_eq!(detail.addenda[0].written_at, a.store.now());
    let error = a.store.read().execute("UPDATE incident_addenda SET text = 'x'", []).unwrap_err().to_string();
    assert!(error.contains("never changed"), "{error}");
    assert_eq!(
        count(
            &a.store,
            &format!("SELECT count(*) FROM change_log WHERE entity = 'incident_addenda' AND root_id = '{id}'")
        ),
        1,
        "the addendum went through the write path"
    );
}

#[test]
fn trend_figures_match_a_count_of_the_generated_history() {
    let (mut store, _) = support::store();
    let today = date("2026-03-02");
    let agency = caredesk::demo::generate(caredesk::demo::Size::Small, 7, today);
    caredesk::demo::load(&mut store, &agency).unwrap();
    assert!(agency.incidents.len() > 40, "two years of incidents, got {}", agency.incidents.len());

    let from = date("2024-03-01");
    let t = trends(store.read(), from, today, store.now()).unwrap();
    // Counted here from the generated records, by London date.
    let mut by_month: BTreeMap<String, u32> = BTreeMap::new();
    let mut by_kind: BTreeMap<String, u32> = BTreeMap::new();
    let mut total = 0;
    for i in &agency.incidents {
        let day = i.incident.occurred_at.with_timezone(&London).date_naive();
        if day < from || day > today {
            continue;
        }
        total += 1;
        *by_month.entry(day.format("%Y-%m").to_string()).or_default() += 1;
        *by_kind.entry(i.incident.kind.label().to_string()).or_default() += 1;
    }
    assert_eq!(t.total, total);
    let months: BTreeMap<String, u32> =
        t.by_month.iter().filter(|m| m.incidents > 0).map(|m| (m.month.clone(), m.incidents)).collect();
    assert_eq!(months, by_month);
    let kinds: BTreeMap<String, u32> = t.by_kind.iter().map(|c| (c.label.clone(), c.count)).collect();
    assert_eq!(kinds, by_kind);
    let overdue = agency
        .incidents
        .iter()
        .flat_map(|i| &i.notifications)
        .filter(|n| n.waiting() && n.due_at < store.now())
        .count() as u32;
    assert_eq!(t.notifications_overdue, overdue);
    let csv = trends_csv(&t);
    assert_eq!(csv.lines().filter(|l| l.starts_with("month,")).count(), t.by_month.len());
    assert!(csv.contains(&format!("total,all,{total},")), "{csv}");
}

#[test]
fn the_rate_per_1000_visits_counts_the_visits_delivered_in_the_months_on_the_rota() {
    let (mut store, _) = support::store();
    let agency = caredesk::demo::generate(caredesk::demo::Size::Small, 7, date("2026-03-02"));
    caredesk::demo::load(&mut store, &agency).unwrap();
    caredesk::rota::roll_forward(&mut store, date("2026-02-01"), date("2026-02-28"), &mut |_| {}).unwrap();
    let t = trends(store.read(), date("2026-01-01"), date("2026-02-28"), store.now()).unwrap();
    let visits = count(&store, "SELECT count(*) FROM visits WHERE local_date LIKE '2026-02-%' AND status = 'planned'");
    let february = agency
        .incidents
        .iter()
        .filter(|i| i.incident.occurred_at.with_timezone(&London).date_naive().format("%Y-%m").to_string() == "2026-02")
        .count();
    let expected = (february as f64 * 1000.0 / visits as f64 * 100.0).round() / 100.0;
    let month = &t.by_month[1];
    assert_eq!((month.month.as_str(), month.delivered_visits as i64), ("2026-02", visits));
    assert_eq!(month.rate_per_1000, Some(expected));
    assert_eq!(t.by_month[0].rate_per_1000, None, "January has no visits on the rota");
    assert_eq!(t.rate_per_1000, Some(expected), "the period's rate leaves out months without visits");
}

#[test]
fn the_trends_open_on_the_24_months_to_today() {
    assert_eq!(recent_period(date("2026-11-24")), (date("2024-12-01"), date("2026-11-24")));
    assert_eq!(recent_period(date("2026-01-31")), (date("2024-02-01"), date("2026-01-31")));
}
