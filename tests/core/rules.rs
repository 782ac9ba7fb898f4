//! Each rota rule: a case that fires and a near miss that does not.

use caredesk::people::*;
use caredesk::rules::weekly_rest::{WeekRests, WeeklyRest};
use caredesk::rules::{
    check_allocation, check_rota, CarerFacts, ClientFacts, ClientSummary, Finding, RotaFacts, RuleId, Severity,
    SkillNames, VisitFacts,
};
use caredesk::travel::{GeoPoint, TravelSettings};
use chrono::{NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Europe::London;
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

const TOWN: GeoPoint = GeoPoint { lat: 52.7063, lon: -2.7440 };
const WEM: GeoPoint = GeoPoint { lat: 52.8550, lon: -2.7240 };

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn time(text: &str) -> NaiveTime {
    NaiveTime::parse_from_str(text, "%H:%M").unwrap()
}

pub fn carer() -> CarerFacts {
    let id = Uuid::now_v7();
    let availability = Weekday::ALL
        .iter()
        .map(|d| Availability {
            id: Uuid::now_v7(),
            carer_id: id,
            weekday: *d,
            start_time: time("07:00"),
            end_time: time("22:00"),
        })
        .collect();
    CarerFacts {
        name: "Sarah Evans".into(),
        carer: Carer {
            id,
            given_name: "Sarah".into(),
            family_name: "Evans".into(),
            gender: Gender::Female,
            phone: "07700 900123".into(),
            email: String::new(),
            address_line1: "1 Abbey Foregate".into(),
            address_line2: String::new(),
            town: "Shrewsbury".into(),
            postcode: "SY2 6AA".into(),
            home_lat: TOWN.lat,
            home_lon: TOWN.lon,
            transport: Transport::Car,
            languages: vec!["English".into()],
            started_on: date("2024-01-01"),
            left_on: None,
            dbs_expires_on: Some(date("2027-01-01")),
            right_to_work_expires_on: None,
            contracted_hours: 30.0,
            max_hours: 40.0,
            wtr_opt_out: false,
            notes: String::new(),
        },
        skills: vec![CarerSkill {
            id: Uuid::now_v7(),
            carer_id: id,
            skill: "medication_l2".into(),
            expires_on: Some(date("2026-12-31")),
        }],
        availability,
        absences: vec![],
        earlier_16_weeks_minutes: 0,
        hours_before_from: None,
        other_week_rests: None,
        controls: vec![],
    }
}

pub fn client() -> ClientFacts {
    ClientFacts {
        client: ClientSummary::of(&Client {
            id: Uuid::now_v7(),
            given_name: "Margaret".into(),
            family_name: "Onions".into(),
            preferred_name: String::new(),
            date_of_birth: None,
            gender: Gender::Female,
            phone: String::new(),
            address_line1: "4 Belle Vue Road".into(),
            address_line2: String::new(),
            town: "Shrewsbury".into(),
            postcode: "SY3 7NR".into(),
            lat: TOWN.lat,
            lon: TOWN.lon,
            access_notes: String::new(),
            preferred_carer_gender: CarerGenderPreference::Any,
            language: String::new(),
            status: ClientStatus::Active,
            status_from: None,
            status_until: None,
            funding: Funding::Private,
            funding_reference: String::new(),
            notes: String::new(),
        }),
        preferences: vec![],
        controls: vec![],
    }
}

/// A visit at a London wall-clock time, allocated to `carers`.
pub fn visit(client: &ClientFacts, local: &str, minutes: u32, carers: &[&CarerFacts]) -> VisitFacts {
    let naive = chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").unwrap();
    VisitFacts {
        id: Uuid::now_v7(),
        client_id: client.client.id,
        name: format!("Call for {}", client.client.full_name()).into(),
        start: London.from_local_datetime(&naive).unwrap().with_timezone(&chrono::Utc),
        date: naive.date(),
        duration_min: minutes,
        carers_required: 1,
        required_skills: Arc::from([]),
        short_task: false,
        location: TOWN,
        carers: carers.iter().map(|c| c.carer.id).collect(),
        controls: Arc::from([]),
    }
}

fn rota(visits: Vec<VisitFacts>, carers: Vec<CarerFacts>, clients: Vec<ClientFacts>) -> RotaFacts {
    RotaFacts {
        week_start: date("2026-03-02"),
        visits,
        carers: carers.into_iter().map(|c| (c.carer.id, c)).collect(),
        clients: clients.into_iter().map(|c| (c.client.id, c)).collect(),
        travel: TravelSettings::default(),
        skills: SkillNames::default(),
        records_from: None,
        weekly_rest: WeeklyRest::EachWeek,
    }
}

fn fired(findings: &[Finding], rule: RuleId) -> Vec<&Finding> {
    findings.iter().filter(|f| f.rule == rule).collect()
}

/// Checks one visit by one carer and returns the findings of `rule`.
pub fn one_visit(
    rule: RuleId,
    c: CarerFacts,
    cl: ClientFacts,
    v: impl FnOnce(&ClientFacts, &CarerFacts) -> VisitFacts,
) -> Vec<Finding> {
    let v = v(&cl, &c);
    check_rota(&rota(vec![v], vec![c], vec![cl])).into_iter().filter(|f| f.rule == rule).collect()
}

#[test]
fn overlapping_visits_are_double_booking_and_back_to_back_visits_are_not() {
    let (c, cl) = (carer(), client());
    let clash = check_rota(&rota(
        vec![visit(&cl, "2026-03-02 07:30", 45, &[&c]), visit(&cl, "2026-03-02 08:00", 30, &[&c])],
        vec![c.clone()],
        vec![cl.clone()],
    ));
    let found = fired(&clash, RuleId::Overlap);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].severity, Severity::Block);
    assert_eq!(
        found[0].message.to_string(),
        "Sarah Evans is booked on Mon 2 Mar for Call for Margaret Onions 07:30–08:15 \
         and Call for Margaret Onions 08:00–08:30, which overlap",
        "both visits with their times, so the clash shows in the sentence"
    );
    let back_to_back = check_rota(&rota(
        vec![visit(&cl, "2026-03-02 07:30", 45, &[&c]), visit(&cl, "2026-03-02 08:15", 30, &[&c])],
        vec![c],
        vec![cl],
    ));
    assert!(fired(&back_to_back, RuleId::Overlap).is_empty());
}

#[test]
fn a_clash_with_a_visit_running_past_midnight_names_both_days() {
    let (c, cl) = (carer(), client());
    let clash = check_rota(&rota(
        vec![visit(&cl, "2026-03-02 23:30", 60, &[&c]), visit(&cl, "2026-03-03 00:15", 30, &[&c])],
        vec![c],
        vec![cl],
    ));
    let found = fired(&clash, RuleId::Overlap);
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].message.to_string(),
        "Sarah Evans is booked for Call for Margaret Onions 23:30 on Mon 2 Mar to 00:30 on Tue 3 Mar \
         and Call for Margaret Onions 00:15 on Tue 3 Mar to 00:45 on Tue 3 Mar, which overlap"
    );
}

#[test]
fn a_gap_shorter_than_the_drive_is_flagged_and_a_long_enough_one_is_not() {
    let (c, cl) = (carer(), client());
    let mut far = client();
    far.client.lat = WEM.lat;
    far.client.lon = WEM.lon;
    let at_wem = |start: &str| {
        let mut v = visit(&far, start, 30, &[&c]);
        v.location = WEM;
        v
    };
    // 41 minutes by car to Wem (see the travel tests).
    let tight = check_rota(&rota(
        vec![visit(&cl, "2026-03-02 07:30", 30, &[&c]), at_wem("2026-03-02 08:30")],
        vec![c.clone()],
        vec![cl.clone(), far.clone()],
    ));
    let found = fired(&tight, RuleId::TravelTime);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].message.to_string().contains("needs about 41 min (car")
            && found[0].message.to_string().contains("but has 30 min"),
        "{}",
        found[0].message
    );
    let enough = check_rota(&rota(
        vec![visit(&cl, "2026-03-02 07:30", 30, &[&c]), at_wem("2026-03-02 08:41")],
        vec![c],
        vec![cl, far],
    ));
    assert!(fired(&enough, RuleId::TravelTime).is_empty());
}

#[test]
fn a_first_visit_further_from_home_than_the_agency_allows_is_warned_of_and_one_within_it_is_not() {
    // The carer lives in town and walks: Wem is 21.6 km by road, 270 minutes on foot.
    let mut c = carer();
    c.carer.transport = Transport::Foot;
    let (cl, mut far) = (client(), client());
    (far.client.lat, far.client.lon) = (WEM.lat, WEM.lon);
    let at_wem = |start: &str| VisitFacts { location: WEM, ..visit(&far, start, 30, &[&c]) };
    let day = |visits: Vec<VisitFacts>, longest_from_home_min| RotaFacts {
        travel: TravelSettings { longest_from_home_min, ..TravelSettings::default() },
        ..rota(visits, vec![c.clone()], vec![cl.clone(), far.clone()])
    };
    let wem_first = day(vec![at_wem("2026-03-03 09:00"), visit(&cl, "2026-03-03 16:00", 30, &[&c])], 60);
    let findings = check_rota(&wem_first);
    let found = fired(&findings, RuleId::FarFromHome);
    assert_eq!(found.len(), 1, "{findings:?}");
    assert_eq!(*found[0].visit_ids, [wem_first.visits[0].id]);
    assert_eq!(found[0].severity, Severity::Warn);
    assert!(
        found[0].message.to_string().contains("about 4 h 30 min (on foot, 21.6 km) from home to Call for")
            && found[0].message.to_string().ends_with("the first visit of the day; the agency warns over 1 h"),
        "{}",
        found[0].message
    );
    // Within the agency's limit, and Wem as the day's second visit: no warning.
    assert!(fired(&check_rota(&day(vec![at_wem("2026-03-03 09:00")], 270)), RuleId::FarFromHome).is_empty());
    let wem_second = day(vec![visit(&cl, "2026-03-03 07:00", 30, &[&c]), at_wem("2026-03-03 12:00")], 60);
    assert!(fired(&check_rota(&wem_second), RuleId::FarFromHome).is_empty());
}

#[test]
fn outside_availability_says_the_carers_hours_that_day_or_that_they_have_none() {
    let mut c = carer();
    let monday_evening =
        Availability { start_time: time("18:00"), end_time: time("21:00"), ..c.availability[0].clone() };
    let mut slots = c.availability.to_vec();
    slots.push(monday_evening);
    slots.retain(|slot| slot.weekday != Weekday::Tue);
    for slot in slots.iter_mut().filter(|s| s.start_time == time("07:00")) {
        slot.end_time = time("12:00");
    }
    c.availability = slots.into();
    let monday =
        one_visit(RuleId::OutsideAvailability, c.clone(), client(), |cl, c| visit(cl, "2026-03-02 14:00", 45, &[c]));
    assert_eq!(
        monday.iter().map(|f| f.message.to_string()).collect::<Vec<_>>(),
        ["Call for Margaret Onions at 14:00 on Mon 2 Mar is outside the availability of Sarah Evans: 07:00–12:00, 18:00–21:00 that day"]
    );
    let tuesday = one_visit(RuleId::OutsideAvailability, c, client(), |cl, c| visit(cl, "2026-03-03 09:00", 45, &[c]));
    assert_eq!(
        tuesday.iter().map(|f| f.message.to_string()).collect::<Vec<_>>(),
        ["Call for Margaret Onions at 09:00 on Tue 3 Mar is outside the availability of Sarah Evans: not available that day"]
    );
}

#[test]
fn a_visit_running_past_the_end_of_availability_is_flagged_and_one_ending_on_time_is_not() {
    let mut c = carer();
    let mut slots = c.availability.to_vec();
    for slot in &mut slots {
        slot.end_time = time("14:30");
    }
    c.availability = slots.into();
    let late =
        one_visit(RuleId::OutsideAvailability, c.clone(), client(), |cl, c| visit(cl, "2026-03-02 14:00", 45, &[c]));
    assert_eq!(late.len(), 1);
    assert_eq!(
        late[0].message.to_string(),
        "Call for Margaret Onions at 14:00 on Mon 2 Mar is outside the availability of Sarah Evans: 07:00–14:30 that day"
    );
    assert!(
        one_visit(RuleId::OutsideAvailability, c, client(), |cl, c| visit(cl, "2026-03-02 13:45", 45, &[c])).is_empty()
    );
}

#[test]
fn a_waking_night_slot_that_runs_past_midnight_covers_an_early_visit() {
    let mut c = carer();
    let mut slots = c.availability.to_vec();
    slots.retain(|a| a.weekday == Weekday::Sun);
    slots[0].start_time = time("22:00");
    slots[0].end_time = time("07:00");
    c.availability = slots.into();
    assert!(
        one_visit(RuleId::OutsideAvailability, c.clone(), client(), |cl, c| visit(cl, "2026-03-02 06:00", 30, &[c]))
            .is_empty(),
        "Sunday 22:00–07:00 covers Monday 06:00"
    );
    assert_eq!(
        one_visit(RuleId::OutsideAvailability, c, client(), |cl, c| visit(cl, "2026-03-02 06:45", 30, &[c])).len(),
        1,
        "but not past 07:00"
    );
}

#[test]
fn a_carer_on_leave_is_blocked_and_one_back_the_day_before_is_not() {
    let mut c = carer();
    c.absences.push(Absence {
        id: Uuid::now_v7(),
        carer_id: c.carer.id,
        kind: AbsenceKind::AnnualLeave,
        starts_on: date("2026-02-27"),
        from_time: None,
        ends_on: date("2026-03-02"),
        note: String::new(),
    });
    let away = one_visit(RuleId::Absent, c.clone(), client(), |cl, c| visit(cl, "2026-03-02 07:30", 30, &[c]));
    assert_eq!(away.len(), 1);
    assert!(away[0].message.to_string().contains("annual leave"), "{}", away[0].message);
    assert!(one_visit(RuleId::Absent, c, client(), |cl, c| visit(cl, "2026-03-03 07:30", 30, &[c])).is_empty());
}

#[test]
fn a_missing_skill_and_training_expired_the_day_before_block_but_training_expiring_that_day_does_not() {
    let mut c = carer();
    let needs = |skill: &str| {
        let skill = skill.to_string();
        move |cl: &ClientFacts, c: &CarerFacts| {
            let mut v = visit(cl, "2026-03-02 07:30", 30, &[c]);
            v.required_skills = Arc::from([skill]);
            v
        }
    };
    assert_eq!(one_visit(RuleId::SkillMissing, c.clone(), client(), needs("insulin")).len(), 1);
    c.skills[0].expires_on = Some(date("2026-03-01"));
    assert_eq!(one_visit(RuleId::SkillExpired, c.clone(), client(), needs("medication_l2")).len(), 1);
    c.skills[0].expires_on = Some(date("2026-03-02"));
    assert!(one_visit(RuleId::SkillExpired, c, client(), needs("medication_l2")).is_empty());
}

#[test]
fn a_skill_finding_names_the_skill_as_the_catalogue_does_not_by_its_code() {
    let mut c = carer();
    c.skills[0].expires_on = Some(date("2026-03-01"));
    let cl = client();
    let needing = |code: &str, at: &str| {
        let mut v = visit(&cl, at, 30, &[&c]);
        v.required_skills = Arc::from([code.to_string()]);
        v
    };
    let visits = vec![needing("insulin", "2026-03-02 07:30"), needing("medication_l2", "2026-03-02 09:00")];
    let mut facts = rota(visits, vec![c.clone()], vec![cl.clone()]);
    facts.skills = SkillNames(HashMap::from([
        ("insulin".to_string(), "Insulin administration".into()),
        ("medication_l2".to_string(), "Medication administration (level 2)".into()),
    ]));
    let messages: Vec<String> = check_rota(&facts)
        .into_iter()
        .filter(|f| matches!(f.rule, RuleId::SkillMissing | RuleId::SkillExpired))
        .map(|f| f.message.to_string())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].contains("needs Insulin administration, which"), "{}", messages[0]);
    assert!(messages[1].contains("has Medication administration (level 2) training that expired"), "{}", messages[1]);
    assert!(messages.iter().all(|m| !m.contains('_')), "no skill code in {messages:?}");
}

#[test]
fn an_expired_dbs_or_right_to_work_blocks_and_a_current_one_does_not() {
    let mut c = carer();
    c.carer.dbs_expires_on = Some(date("2026-03-01"));
    c.carer.right_to_work_expires_on = Some(date("2026-02-28"));
    let v = |cl: &ClientFacts, c: &CarerFacts| visit(cl, "2026-03-02 07:30", 30, &[c]);
    assert_eq!(one_visit(RuleId::DbsExpired, c.clone(), client(), v).len(), 1);
    assert_eq!(one_visit(RuleId::RightToWorkExpired, c.clone(), client(), v).len(), 1);
    c.carer.dbs_expires_on = Some(date("2026-03-02"));
    c.carer.right_to_work_expires_on = Some(date("2026-03-02"));
    assert!(one_visit(RuleId::DbsExpired, c.clone(), client(), v).is_empty());
    assert!(one_visit(RuleId::RightToWorkExpired, c, client(), v).is_empty());
}

#[test]
fn a_visit_after_the_carers_leaving_date_or_before_their_start_blocks_and_their_last_day_does_not() {
    let v = |cl: &ClientFacts, c: &CarerFacts| visit(cl, "2026-03-02 07:30", 30, &[c]);
    let mut leaver = carer();
    leaver.carer.left_on = Some(date("2026-03-01"));
    let found = one_visit(RuleId::NotEmployed, leaver.clone(), client(), v);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].severity, Severity::Block);
    assert_eq!(found[0].message.to_string(), "Sarah Evans left the agency on Sun 1 Mar 2026");
    leaver.carer.left_on = Some(date("2026-03-02"));
    assert!(one_visit(RuleId::NotEmployed, leaver, client(), v).is_empty(), "the leaving date is a day worked");

    let mut starter = carer();
    starter.carer.started_on = date("2026-03-03");
    let found = one_visit(RuleId::NotEmployed, starter.clone(), client(), v);
    assert_eq!(
        found.iter().map(|f| f.message.to_string()).collect::<Vec<_>>(),
        ["Sarah Evans starts at the agency on Tue 3 Mar 2026"]
    );
    starter.carer.started_on = date("2026-03-02");
    assert!(one_visit(RuleId::NotEmployed, starter, client(), v).is_empty(), "the first day is a day worked");
}

#[test]
fn an_excluded_carer_is_blocked_with_the_clients_reason_and_a_preferred_one_is_not() {
    let c = carer();
    let mut cl = client();
    cl.preferences.push(CarerPreference {
        id: Uuid::now_v7(),
        client_id: cl.client.id,
        carer_id: c.carer.id,
        kind: PreferenceKind::Excluded,
        reason: "Family complaint".into(),
    });
    let v = |cl: &ClientFacts, c: &CarerFacts| visit(cl, "2026-03-02 07:30", 30, &[c]);
    let found = one_visit(RuleId::Excluded, c.clone(), cl.clone(), v);
    assert!(found.len() == 1 && found[0].message.to_string().ends_with("Family complaint"), "{found:?}");
    cl.preferences[0].kind = PreferenceKind::Preferred;
    assert!(one_visit(RuleId::Excluded, c, cl, v).is_empty());
}

#[test]
fn gender_and_language_preferences_are_checked() {
    let mut c = carer();
    c.carer.gender = Gender::Male;
    let mut cl = client();
    cl.client.preferred_carer_gender = CarerGenderPreference::Female;
    cl.client.language = "Welsh".into();
    let v = |cl: &ClientFacts, c: &CarerFacts| visit(cl, "2026-03-02 07:30", 30, &[c]);
    assert_eq!(one_visit(RuleId::GenderPreference, c.clone(), cl.clone(), v)[0].severity, Severity::Block);
    assert_eq!(one_visit(RuleId::LanguagePreference, c.clone(), cl.clone(), v)[0].severity, Severity::Warn);
    c.carer.gender = Gender::Female;
    c.carer.languages.push("welsh".into());
    assert!(one_visit(RuleId::GenderPreference, c.clone(), cl.clone(), v).is_empty());
    assert!(one_visit(RuleId::LanguagePreference, c, cl, v).is_empty());
}

#[test]
fn a_double_up_with_one_carer_is_flagged_unstaffed_and_with_two_it_is_not() {
    let (a, b, cl) = (carer(), carer(), client());
    let mut half = visit(&cl, "2026-03-02 07:30", 45, &[&a]);
    half.carers_required = 2;
    let mut full = half.clone();
    full.carers.push(b.carer.id);
    assert_eq!(
        fired(&check_rota(&rota(vec![half], vec![a.clone(), b.clone()], vec![cl.clone()])), RuleId::DoubleUpUnstaffed)
            .len(),
        1
    );
    assert!(fired(&check_rota(&rota(vec![full], vec![a, b], vec![cl])), RuleId::DoubleUpUnstaffed).is_empty());
}

#[test]
fn a_visit_under_30_minutes_is_flagged_unless_it_is_a_deliberate_short_task() {
    let (c, cl) = (carer(), client());
    let short = visit(&cl, "2026-03-02 14:00", 15, &[&c]);
    let mut task = short.clone();
    (task.id, task.short_task) = (Uuid::now_v7(), true);
    let thirty = visit(&cl, "2026-03-02 16:00", 30, &[&c]);
    let findings = check_rota(&rota(vec![short.clone(), task, thirty], vec![c], vec![cl]));
    let found = fired(&findings, RuleId::ShortVisit);
    assert_eq!(found.iter().map(|f| f.visit_ids[0]).collect::<Vec<_>>(), vec![short.id]);
    assert!(found[0].message.to_string().contains("NICE NG21"));
}

#[test]
fn finishing_at_22_00_and_starting_at_07_00_breaks_the_11_hour_rest_but_09_00_does_not() {
    let (mut c, cl) = (carer(), client());
    c.carer.max_hours = 80.0;
    c.carer.wtr_opt_out = true;
    let late_then_early = |next: &str| {
        check_rota(&rota(
            vec![visit(&cl, "2026-03-02 16:00", 360, &[&c]), visit(&cl, next, 60, &[&c])],
            vec![c.clone()],
            vec![cl.clone()],
        ))
    };
    let found = late_then_early("2026-03-03 07:00");
    let rest = fired(&found, RuleId::DailyRest11h);
    assert_eq!(rest.len(), 1);
    assert!(rest[0].message.to_string().contains("at most 9 h rest"), "{}", rest[0].message);
    assert!(fired(&late_then_early("2026-03-03 09:00"), RuleId::DailyRest11h).is_empty());
}

/// The week starts on Monday 2 March; Sunday is the day before, there so
/// that rest is seen across the edge. An early Monday after a late Sunday
/// is the Monday's week's business (giving the Monday must be checked);
/// a long Sunday alone is the week before's.
#[test]
fn a_late_sunday_then_an_early_monday_breaks_the_rest_in_mondays_week_but_a_long_sunday_alone_does_not() {
    let (mut c, cl) = (carer(), client());
    c.carer.max_hours = 80.0;
    c.carer.wtr_opt_out = true;
    let sunday_late = visit(&cl, "2026-03-01 16:00", 360, &[&c]);
    let check = |visits: Vec<VisitFacts>| {
        fired(&check_rota(&rota(visits, vec![c.clone()], vec![cl.clone()])), RuleId::DailyRest11h)
            .into_iter()
            .map(|f| f.visit_ids.to_vec())
            .collect::<Vec<_>>()
    };
    let monday_early = visit(&cl, "2026-03-02 07:00", 60, &[&c]);
    assert_eq!(check(vec![sunday_late.clone(), monday_early.clone()]), vec![vec![sunday_late.id, monday_early.id]]);
    assert!(check(vec![sunday_late.clone(), visit(&cl, "2026-03-02 09:00", 60, &[&c])]).is_empty());
    let sunday_early = visit(&cl, "2026-03-01 07:00", 60, &[&c]);
    let sunday_bed = visit(&cl, "2026-03-01 21:00", 60, &[&c]);
    assert!(check(vec![sunday_early, sunday_bed]).is_empty(), "Sunday's own long day is last week's finding");
}

/// Visits at 08:00 and 20:00, an hour each, on the given days of March 2026.
fn mornings_and_evenings(c: &CarerFacts, cl: &ClientFacts, days: impl Iterator<Item = u32>) -> Vec<VisitFacts> {
    days.flat_map(|d| {
        [visit(cl, &format!("2026-03-{d:02} 08:00"), 60, &[c]), visit(cl, &format!("2026-03-{d:02} 20:00"), 60, &[c])]
    })
    .collect()
}

#[test]
fn working_every_day_of_the_week_breaks_the_weekly_rest_and_a_day_off_does_not() {
    let (c, cl) = (carer(), client());
    // Thursday has its morning visit alone: 23 hours off, not 24.
    let mut every_day = mornings_and_evenings(&c, &cl, 2..=8);
    every_day.remove(7);
    let found = check_rota(&rota(every_day.clone(), vec![c.clone()], vec![cl.clone()]));
    let weekly = fired(&found, RuleId::WeeklyRest24h);
    assert_eq!(weekly.len(), 1, "one finding for the week, not one per visit");
    assert_eq!(
        weekly[0].message.to_string(),
        "Sarah Evans has no 24 hours off in the week Mon 2 Mar to Sun 8 Mar, at most 23 h in a row \
         (the Working Time Regulations' weekly rest); the lightest day is Thu 5 Mar, with 1 visit"
    );
    let every_visit: Vec<Uuid> = every_day.iter().map(|v| v.id).collect();
    assert_eq!(weekly[0].visit_ids.to_vec(), every_visit, "the week's visits are what breaks it");

    let thursday_off = mornings_and_evenings(&c, &cl, (2..=8).filter(|d| *d != 5));
    let found = check_rota(&rota(thursday_off, vec![c.clone()], vec![cl.clone()]));
    assert!(fired(&found, RuleId::WeeklyRest24h).is_empty(), "Thursday off gives 35 hours");
}

#[test]
fn the_weekly_rest_is_counted_in_the_calendar_week_so_twelve_days_on_with_a_day_off_either_side_is_lawful() {
    let (c, cl) = (carer(), client());
    // Monday off, then Tuesday to Sunday; the next week would work Monday
    // to Saturday with Sunday off: 12 days in a row, as the regulations'
    // fixed weeks (from midnight between Sunday and Monday) allow.
    let monday_off = mornings_and_evenings(&c, &cl, 3..=9);
    let found = check_rota(&rota(monday_off, vec![c.clone()], vec![cl.clone()]));
    assert!(fired(&found, RuleId::WeeklyRest24h).is_empty(), "Monday to Tuesday 08:00 is this week's rest");

    // The same 35 hours off, from Sunday noon to Monday 23:00 the next
    // week, is not 24 hours in either week: this week has 12 of them.
    let mut sunday_noon = mornings_and_evenings(&c, &cl, 2..=7);
    sunday_noon.push(visit(&cl, "2026-03-08 08:00", 60, &[&c]));
    sunday_noon.push(visit(&cl, "2026-03-08 11:00", 60, &[&c]));
    sunday_noon.push(visit(&cl, "2026-03-09 23:00", 30, &[&c]));
    let found = check_rota(&rota(sunday_noon, vec![c.clone()], vec![cl.clone()]));
    let weekly = fired(&found, RuleId::WeeklyRest24h);
    assert_eq!(weekly.len(), 1, "rest after Sunday noon does not reach into this week's 24 hours");
    assert!(weekly[0].message.to_string().contains("at most 12 h in a row"), "{}", weekly[0].message);
}

/// London's wall clock on a day of early 2026, in seconds since 1970.
fn seconds(day: &str, clock: &str) -> i64 {
    London.from_local_datetime(&date(day).and_time(time(clock))).unwrap().timestamp()
}

#[test]
fn a_carer_on_alternate_weekends_rests_48_hours_in_the_fortnight_where_the_agency_takes_rest_over_a_fortnight() {
    let (mut c, cl) = (carer(), client());
    // Every day of the week from 2 March, 08:00 to 21:00: no 24 hours off.
    let every_day = mornings_and_evenings(&c, &cl, 2..=8);
    let week = |c: &CarerFacts, weekly_rest| {
        let facts = RotaFacts { weekly_rest, ..rota(every_day.clone(), vec![c.clone()], vec![cl.clone()]) };
        fired(&check_rota(&facts), RuleId::WeeklyRest24h).into_iter().map(|f| f.message.to_string()).collect::<Vec<_>>()
    };
    // The other week's rests when it is worked the same way, from `first`
    // 08:00 to `last` 21:00: 11 hours each night.
    let worked = |first: &str, last: &str| WeekRests {
        first_start: seconds(first, "08:00"),
        last_end: seconds(last, "21:00"),
        long_rests: 0,
        longest: 11 * 3600,
    };
    // The week after, Monday to Friday: off from Friday 21:00 to the
    // fortnight's end, 51 hours.
    c.other_week_rests = Some(worked("2026-03-09", "2026-03-13"));
    assert_eq!(week(&c, WeeklyRest::EachWeek).len(), 1, "each week, this week has no 24 hours off");
    let fortnight_from_this_week = WeeklyRest::EachFortnight { from: date("2026-03-02") };
    assert_eq!(week(&c, fortnight_from_this_week), Vec::<String>::new(), "the weekend after is 51 hours off");

    // The week after worked to Sunday 21:00 too: 11 hours at most.
    c.other_week_rests = Some(worked("2026-03-09", "2026-03-15"));
    assert_eq!(
        week(&c, fortnight_from_this_week),
        ["Sarah Evans has neither 48 hours off nor two rests of 24 hours in the fortnight Mon 2 Mar to Sun 15 Mar, \
          at most 11 h in a row (the Working Time Regulations' weekly rest, taken over a fortnight as the agency has \
          chosen); the lightest day this week is Mon 2 Mar, with 2 visits"]
    );

    // Where this week is the fortnight's second, the week before is its other.
    c.other_week_rests = Some(worked("2026-02-23", "2026-02-27"));
    let fortnight_from_last_week = WeeklyRest::EachFortnight { from: date("2026-02-23") };
    assert_eq!(
        week(&c, fortnight_from_last_week),
        Vec::<String>::new(),
        "Friday 21:00 to Monday 08:00 is 59 hours off"
    );
}

#[test]
fn across_the_night_the_clocks_go_back_friday_2100_to_sunday_2000_is_48_hours_rest_in_the_fortnight() {
    let (mut c, cl) = (carer(), client());
    // The fortnight's second week worked every day, 08:00 to 21:00.
    c.other_week_rests = Some(WeekRests {
        first_start: seconds("2026-10-26", "08:00"),
        last_end: seconds("2026-11-01", "21:00"),
        long_rests: 0,
        longest: 11 * 3600,
    });
    // Monday 19 to Friday 23 October, 08:00 and 20:00 (until 21:00 BST);
    // then Sunday 25 October at `sunday`, GMT since 02:00 that night.
    let first_week = |sunday: &str| {
        let mut visits: Vec<VisitFacts> = (19..=23)
            .flat_map(|d| {
                let at = |clock: &str| visit(&cl, &format!("2026-10-{d} {clock}"), 60, &[&c]);
                [at("08:00"), at("20:00")]
            })
            .collect();
        visits.push(visit(&cl, &format!("2026-10-25 {sunday}"), 60, &[&c]));
        let facts = RotaFacts {
            week_start: date("2026-10-19"),
            weekly_rest: WeeklyRest::EachFortnight { from: date("2026-10-19") },
            ..rota(visits, vec![c.clone()], vec![cl.clone()])
        };
        fired(&check_rota(&facts), RuleId::WeeklyRest24h).into_iter().map(|f| f.message.to_string()).collect::<Vec<_>>()
    };
    assert_eq!(first_week("20:00"), Vec::<String>::new(), "47 hours by the clock on the wall, 48 in fact");
    let short = first_week("19:00");
    assert_eq!(short.len(), 1, "an hour earlier is 47 hours: {short:?}");
    assert!(short[0].contains("fortnight Mon 19 Oct to Sun 1 Nov, at most 47 h in a row"), "{}", short[0]);
}

#[test]
fn on_the_night_the_clocks_go_forward_a_rest_from_saturday_2330_to_the_weeks_end_is_short_of_a_day() {
    let (c, cl) = (carer(), client());
    // The week of Sunday 29 March 2026 has 167 hours: from 23:00 on
    // Saturday to Monday's midnight is 24 hours, from 23:30 only 23 h 30.
    let week_to = |last: &str| {
        let mut visits = mornings_and_evenings(&c, &cl, 23..=27);
        visits.push(visit(&cl, "2026-03-28 08:00", 60, &[&c]));
        visits.push(visit(&cl, last, 30, &[&c]));
        let facts = RotaFacts { week_start: date("2026-03-23"), ..rota(visits, vec![c.clone()], vec![cl.clone()]) };
        fired(&check_rota(&facts), RuleId::WeeklyRest24h).into_iter().map(|f| f.message.to_string()).collect::<Vec<_>>()
    };
    assert!(week_to("2026-03-28 22:30").is_empty(), "off from 23:00 on Saturday is 24 hours");
    let short = week_to("2026-03-28 23:00");
    assert_eq!(short.len(), 1, "off from 23:30 on Saturday is not");
    assert!(short[0].contains("week Mon 23 Mar to Sun 29 Mar, at most 23 h 30 min in a row"), "{}", short[0]);
    assert!(
        short[0].ends_with("the lightest day is Mon 23 Mar, with 2 visits"),
        "an empty Sunday is not offered: {}",
        short[0]
    );
}

#[test]
fn over_six_hours_without_a_20_minute_gap_needs_a_break_and_a_20_minute_gap_is_one() {
    let (c, cl) = (carer(), client());
    let day = |gap_after_third: i64| {
        let mut visits = Vec::new();
        let mut start = chrono::NaiveDateTime::parse_from_str("2026-03-02 07:00", "%Y-%m-%d %H:%M").unwrap();
        for i in 0..7 {
            visits.push(visit(&cl, &start.format("%Y-%m-%d %H:%M").to_string(), 60, &[&c]));
            start += chrono::Duration::minutes(60 + if i == 2 { gap_after_third } else { 0 });
        }
        check_rota(&rota(visits, vec![c.clone()], vec![cl.clone()]))
    };
    let found = day(0);
    assert_eq!(fired(&found, RuleId::Break20m).len(), 1, "7 hours back to back in one house");
    assert!(fired(&day(20), RuleId::Break20m).is_empty());
}

#[test]
fn hours_over_the_maximum_or_the_contract_are_flagged() {
    let (mut c, cl) = (carer(), client());
    c.carer.contracted_hours = 2.0;
    c.carer.max_hours = 3.0;
    let visits =
        |n: u32| (0..n).map(|d| visit(&cl, &format!("2026-03-{:02} 09:00", 2 + d), 60, &[&c])).collect::<Vec<_>>();
    assert_eq!(fired(&check_rota(&rota(visits(4), vec![c.clone()], vec![cl.clone()])), RuleId::MaximumHours).len(), 1);
    let three = check_rota(&rota(visits(3), vec![c.clone()], vec![cl.clone()]));
    assert!(fired(&three, RuleId::MaximumHours).is_empty());
    assert_eq!(fired(&three, RuleId::ContractedHours).len(), 1);
    assert!(fired(&check_rota(&rota(visits(2), vec![c], vec![cl])), RuleId::ContractedHours).is_empty());
}

#[test]
fn a_17_week_average_over_48_hours_is_flagged_unless_the_carer_opted_out() {
    let (mut c, cl) = (carer(), client());
    c.carer.max_hours = 90.0;
    let v = |cl: &ClientFacts, c: &CarerFacts| visit(cl, "2026-03-02 09:00", 60, &[c]);
    // (16 × 50 h + 1 h) ÷ 17 = 47.1 h: under the limit.
    c.earlier_16_weeks_minutes = 16 * 50 * 60;
    assert!(one_visit(RuleId::WeeklyAverage48h, c.clone(), cl.clone(), v).is_empty());
    // (16 × 52 h + 1 h) ÷ 17 = 49 h: over it.
    c.earlier_16_weeks_minutes = 16 * 52 * 60;
    let found = one_visit(RuleId::WeeklyAverage48h, c.clone(), cl.clone(), v);
    assert!(found.len() == 1 && found[0].message.to_string().contains("averages 49 h"), "{found:?}");
    c.carer.wtr_opt_out = true;
    assert!(one_visit(RuleId::WeeklyAverage48h, c, cl, v).is_empty());
}

#[test]
fn a_carer_who_started_four_weeks_ago_is_averaged_over_those_four_weeks_not_seventeen() {
    let (mut c, cl) = (carer(), client());
    c.carer.max_hours = 90.0;
    // 64 hours in each of the three weeks since starting, and an hour this week.
    c.earlier_16_weeks_minutes = 3 * 64 * 60;
    let v = |cl: &ClientFacts, c: &CarerFacts| visit(cl, "2026-03-02 09:00", 60, &[c]);
    c.carer.started_on = date("2026-02-09");
    let found = one_visit(RuleId::WeeklyAverage48h, c.clone(), cl.clone(), v);
    // (3 × 64 h + 1 h) ÷ 4 = 48 h 15 min.
    assert_eq!(found.len(), 1, "over 48 hours across the four weeks: {found:?}");
    assert!(
        found[0]
            .message
            .to_string()
            .contains("averages 48 h 15 min a week over the 4 weeks since starting on Mon 9 Feb 2026"),
        "{}",
        found[0].message
    );
    c.carer.started_on = date("2025-06-02");
    assert!(
        one_visit(RuleId::WeeklyAverage48h, c, cl, v).is_empty(),
        "the same hours over 17 weeks of service average 11 h 21 min"
    );
}

#[test]
fn a_long_serving_carer_at_an_agency_new_to_caredesk_is_averaged_over_the_weeks_it_has_records_for() {
    let (mut c, cl) = (carer(), client());
    c.carer.max_hours = 90.0;
    // Started in 2024; 64 hours in each of the two weeks the agency has
    // records for before this one, and an hour this week.
    c.earlier_16_weeks_minutes = 2 * 64 * 60;
    let week = |c: &CarerFacts, records_from: Option<&str>| {
        let facts = RotaFacts {
            records_from: records_from.map(date),
            ..rota(vec![visit(&cl, "2026-03-02 09:00", 60, &[c])], vec![c.clone()], vec![cl.clone()])
        };
        check_rota(&facts).into_iter().filter(|f| f.rule == RuleId::WeeklyAverage48h).collect::<Vec<_>>()
    };
    let found = week(&c, Some("2026-02-16"));
    // (2 × 64 h + 1 h) ÷ 3 = 43 h: under. Over when the records are a week shorter.
    assert!(found.is_empty(), "43 h a week over three weeks of records: {found:?}");
    c.earlier_16_weeks_minutes = 2 * 80 * 60;
    let found = week(&c, Some("2026-02-16"));
    // (2 × 80 h + 1 h) ÷ 3 = 53 h 40 min.
    assert_eq!(found.len(), 1, "over 48 hours across the three weeks: {found:?}");
    assert!(
        found[0]
            .message
            .to_string()
            .contains("averages 53 h 40 min a week over the 3 weeks Caredesk has records for, from Mon 16 Feb 2026"),
        "{}",
        found[0].message
    );
    assert!(week(&c, None).is_empty(), "the same hours among 17 weeks of records average 9 h 28 min");
}

#[test]
fn checking_an_allocation_reports_only_what_that_allocation_adds() {
    let (c, cl) = (carer(), client());
    let booked = visit(&cl, "2026-03-02 07:30", 45, &[&c]);
    let mut offered = visit(&cl, "2026-03-02 08:00", 30, &[]);
    offered.required_skills = Arc::from(["insulin".to_string()]);
    let facts = rota(vec![booked, offered.clone()], vec![c.clone()], vec![cl]);
    let rules: Vec<RuleId> = check_allocation(&facts, offered.id, c.carer.id).iter().map(|f| f.rule).collect();
    assert_eq!(rules, [RuleId::SkillMissing, RuleId::Overlap]);
}

/// For random rotas: every overlapping pair is reported as double booking,
/// and (for carers without clashes) every gap shorter than the estimated
/// travel is reported; a rota built without either gets no such finding.
#[test]
fn property_every_overlap_and_every_short_travel_gap_is_reported_and_nothing_else() {
    use rand::{Rng, SeedableRng};
    let places = [TOWN, WEM, GeoPoint { lat: 52.7008, lon: -2.7498 }, GeoPoint { lat: 52.6480, lon: -2.8880 }];
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2026);
    for case in 0..300 {
        let carers: Vec<CarerFacts> = (0..rng.random_range(1..4))
            .map(|_| {
                let mut c = carer();
                c.carer.max_hours = 90.0;
                c.carer.wtr_opt_out = true;
                c.carer.transport = [Transport::Car, Transport::Foot, Transport::Bicycle][rng.random_range(0..3)];
                c
            })
            .collect();
        let cl = client();
        let clean = case % 2 == 1;
        let mut visits = Vec::new();
        let mut cursor: Vec<i64> = vec![6 * 60; carers.len()]; // minutes after midnight, per carer (clean rotas)
        let mut last_place: Vec<Option<GeoPoint>> = vec![None; carers.len()];
        for _ in 0..rng.random_range(2..12) {
            let who = rng.random_range(0..carers.len());
            let place = places[rng.random_range(0..places.len())];
            let minutes = rng.random_range(3..19) * 5;
            let start = if clean {
                let travel = last_place[who].map_or(0, |from| {
                    i64::from(
                        caredesk::travel::estimate(
                            from,
                            place,
                            carers[who].carer.transport,
                            &TravelSettings::default(),
                        )
                        .minutes,
                    )
                });
                cursor[who] + travel + rng.random_range(0..4) * 5
            } else {
                rng.random_range(72..264) * 5
            };
            cursor[who] = start + i64::from(minutes);
            last_place[who] = Some(place);
            let v =
                visit(&cl, &format!("2026-03-02 {:02}:{:02}", start / 60 % 24, start % 60), minutes, &[&carers[who]]);
            let mut v = v.moved_to(
                chrono::Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap() + chrono::Duration::minutes(start),
            );
            v.location = place;
            visits.push(v);
        }
        let facts = rota(visits.clone(), carers.clone(), vec![cl.clone()]);
        let findings = check_rota(&facts);
        let pairs = |rule| {
            let mut p: Vec<Vec<Uuid>> = fired(&findings, rule)
                .iter()
                .map(|f| {
                    let mut ids = f.visit_ids.to_vec();
                    ids.sort();
                    ids
                })
                .collect();
            p.sort();
            p
        };

        let mut expected_overlaps: Vec<Vec<Uuid>> = Vec::new();
        let mut expected_travel: Vec<Vec<Uuid>> = Vec::new();
        for c in &carers {
            let mut run: Vec<&VisitFacts> = visits.iter().filter(|v| v.carers.contains(&c.carer.id)).collect();
            run.sort_by_key(|v| (v.start, v.id));
            let mut clashes = false;
            for (i, a) in run.iter().enumerate() {
                for b in &run[i + 1..] {
                    if a.start < b.end() && b.start < a.end() {
                        clashes = true;
                        let mut ids = vec![a.id, b.id];
                        ids.sort();
                        expected_overlaps.push(ids);
                    }
                }
            }
            if !clashes {
                for w in run.windows(2) {
                    let leg = caredesk::travel::estimate(
                        w[0].location,
                        w[1].location,
                        c.carer.transport,
                        &TravelSettings::default(),
                    );
                    if (w[1].start - w[0].end()).num_minutes() < i64::from(leg.minutes) {
                        let mut ids = vec![w[0].id, w[1].id];
                        ids.sort();
                        expected_travel.push(ids);
                    }
                }
            }
        }
        expected_overlaps.sort();
        expected_travel.sort();
        assert_eq!(pairs(RuleId::Overlap), expected_overlaps, "case {case}: overlaps");
        let clash_free: Vec<Uuid> = carers
            .iter()
            .map(|c| c.carer.id)
            .filter(|id| !fired(&findings, RuleId::Overlap).iter().any(|f| f.carer_id == Some(*id)))
            .collect();
        let reported_travel: Vec<Vec<Uuid>> = pairs(RuleId::TravelTime)
            .into_iter()
            .filter(|ids| {
                visits.iter().find(|v| v.id == ids[0]).is_some_and(|v| v.carers.iter().any(|c| clash_free.contains(c)))
            })
            .collect();
        assert_eq!(reported_travel, expected_travel, "case {case}: short travel gaps");
        if clean {
            assert!(
                expected_overlaps.is_empty() && expected_travel.is_empty(),
                "case {case}: the generator made a clean rota"
            );
        }
    }
}

/// Ranking carers asks the week's index who is busy at a time, from each
/// run's start and end times alone: for random runs over three days (long
/// visits past midnight, back to back ones, the clock change of 29 March),
/// it must name every visit of the run that overlaps, in start order, and
/// no other.
#[test]
fn property_the_index_finds_every_visit_of_a_run_that_a_visit_overlaps() {
    use caredesk::rules::RunIndex;
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(29);
    let mut clashes = 0;
    for case in 0..300 {
        let (c, cl) = (carer(), client());
        let day = ["2026-03-02", "2026-03-28"][case % 2];
        let at = |minute: i64| {
            let base = London.from_local_datetime(&date(day).and_hms_opt(0, 0, 0).unwrap()).unwrap();
            base.with_timezone(&chrono::Utc) + chrono::Duration::minutes(minute)
        };
        let mut visits: Vec<VisitFacts> = (0..rng.random_range(1..16))
            .map(|_| {
                let minutes = [15, 30, 45, 60, 90, 600][rng.random_range(0..6)];
                let v = visit(&cl, &format!("{day} 00:00"), minutes, &[&c]);
                v.moved_to(at(rng.random_range(0..3 * 96) * 15))
            })
            .collect();
        // The visit asked about: one of the run, or one of nobody's.
        let probe = match rng.random_bool(0.5) {
            true => visits[rng.random_range(0..visits.len())].clone(),
            false => {
                let v = visit(&cl, &format!("{day} 00:00"), [30, 45, 600][rng.random_range(0..3)], &[]);
                v.moved_to(at(rng.random_range(0..3 * 96) * 15))
            }
        };
        if !visits.iter().any(|v| v.id == probe.id) {
            visits.push(probe.clone());
        }
        let facts = rota(visits, vec![c.clone()], vec![cl]);
        let index = RunIndex::new(&facts);
        let from_index: Vec<Uuid> = index.clashing(&facts, c.carer.id, &probe).map(|v| v.id).collect();
        let mut overlapping: Vec<&VisitFacts> = facts
            .visits
            .iter()
            .filter(|v| v.id != probe.id && v.start < probe.end() && probe.start < v.end())
            .collect();
        overlapping.sort_by_key(|v| v.start);
        let expected: Vec<Uuid> = overlapping.iter().map(|v| v.id).collect();
        assert_eq!(from_index, expected, "case {case}: the visits the probe clashes with");
        clashes += usize::from(!expected.is_empty());
    }
    assert!(clashes > 60, "{clashes} of 300 probes clash with something");
}

/// The kept week checks again only what a change reaches (the visit's own
/// rules and fit, and the runs of its carers before and after): for random
/// rotas and random changes to one visit, that must find exactly what
/// checking the whole changed week finds, in the same order.
#[test]
fn property_checking_again_what_a_change_reaches_finds_what_checking_the_whole_week_finds() {
    use caredesk::rules::Checked;
    use rand::{Rng, SeedableRng};
    let places = [TOWN, WEM, GeoPoint { lat: 52.7008, lon: -2.7498 }];
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    let mut changed_findings = 0;
    for case in 0..200 {
        let carers: Vec<CarerFacts> = (0..rng.random_range(2..5)).map(|_| carer()).collect();
        let cl = client();
        let mut visits: Vec<VisitFacts> = (0..rng.random_range(3..14))
            .map(|_| {
                let start = rng.random_range(84..240) * 5;
                let who = &carers[rng.random_range(0..carers.len())];
                let mut v = visit(&cl, &format!("2026-03-02 {:02}:{:02}", start / 60, start % 60), 45, &[who]);
                v.location = places[rng.random_range(0..places.len())];
                if rng.random_bool(0.2) {
                    v.carers.clear();
                }
                v
            })
            .collect();
        visits.sort_by_key(|v| v.id);
        let mut facts = rota(visits, carers.clone(), vec![cl.clone()]);
        let mut checked = Checked::new(&facts);
        let before = checked.all().len();

        // One visit changes: another carer, a second carer, or a new time.
        let i = rng.random_range(0..facts.visits.len());
        let mut reached: Vec<Uuid> = facts.visits[i].carers.clone();
        let other = carers[rng.random_range(0..carers.len())].carer.id;
        match rng.random_range(0..3) {
            0 => facts.visits[i].carers = vec![other],
            1 if !facts.visits[i].carers.contains(&other) => facts.visits[i].carers.push(other),
            _ => facts.visits[i].start += chrono::Duration::minutes(rng.random_range(-24..24) * 5),
        }
        reached.extend(facts.visits[i].carers.iter().copied());
        checked.recheck(&facts, &[facts.visits[i].id], &reached);

        assert_eq!(checked.all(), &check_rota(&facts)[..], "case {case}: checked again in part, then as a whole");
        changed_findings += usize::from(checked.all().len() != before);
    }
    assert!(changed_findings > 20, "the changes reach findings in {changed_findings} of 200 rotas");
}

/// Ranking every carer for a visit reuses the week's findings instead of
/// checking each carer's week twice, and gives a carer the rules rule out
/// only the blocks; it must still find exactly what checking that one
/// allocation alone finds (its blocks alone, for a carer ruled out).
#[test]
fn ranking_every_carer_finds_what_checking_each_allocation_alone_finds() {
    let (mut store, _) = crate::support::store();
    let agency = caredesk::demo::generate(caredesk::demo::Size::Small, 7, date("2026-03-02"));
    caredesk::demo::load(&mut store, &agency).unwrap();
    caredesk::rota::roll_forward(&mut store, date("2026-03-01"), date("2026-03-09"), &mut |_| {}).unwrap();
    let mut facts =
        caredesk::rota::week::load_week(store.read(), date("2026-03-02"), TravelSettings::default()).unwrap().facts;
    // Carers handed out in turn, so there are clashes, long days and gaps.
    let carers: Vec<Uuid> = facts.carers.keys().copied().collect();
    for (i, visit) in facts.visits.iter_mut().enumerate() {
        visit.carers = vec![carers[i % carers.len()]];
    }
    let mut known: caredesk::ids::IdMap<Vec<Finding>> = Default::default();
    for finding in check_rota(&facts) {
        if let Some(carer) = finding.carer_id {
            known.entry(carer).or_default().push(finding);
        }
    }
    let (mut compared, mut ruled_out) = (0, 0);
    for visit in facts.visits.iter().step_by(17) {
        for (carer, findings) in
            caredesk::rules::rank_carers(&facts, &caredesk::rules::RunIndex::new(&facts), visit.id, &known)
        {
            let alone = check_allocation(&facts, visit.id, carer);
            let blocks: Vec<Finding> = alone.iter().filter(|f| f.severity == Severity::Block).cloned().collect();
            let expected = if blocks.is_empty() { alone } else { blocks };
            assert_eq!(findings, expected, "{} for carer {carer}", visit.name);
            compared += usize::from(!findings.is_empty());
            ruled_out += usize::from(findings.iter().any(|f| f.severity == Severity::Block));
        }
    }
    assert!(compared > 100, "many candidates had something against them, got {compared}");
    assert!(ruled_out > 20, "and many were ruled out, got {ruled_out}");
}
