//! On call: the roster and its coverage gaps, the append-only call log, and
//! a carer off sick with every visit covered or queued and everyone told.

use crate::support::{self, count, invalid_fields};
use caredesk::access::{create_first_user, save_user, sign_in, sign_out, Role};
use caredesk::oncall::{
    self, add_to_call, coverage_gaps, log_call, open_follow_ups, save_pattern, save_shift, AddendumKind, CallInput,
    OnCallPattern, PatternInput, ShiftInput, Tier,
};
use caredesk::people::{self, AbsenceKind, SkillInput, Weekday};
use caredesk::rota::reallocate::{
    apply_best_for_all, apply_replacement, leave_in_queue, mark_off, reallocation, OffInput,
};
use caredesk::rota::{self, untold};
use caredesk::rules::{Finding, RuleId, Severity};
use caredesk::Error;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use std::sync::Arc;
use uuid::Uuid;

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn pattern(weekday: Weekday, start: &str, end: &str, from: &str, until: &str) -> OnCallPattern {
    OnCallPattern {
        id: Uuid::now_v7(),
        person: "Raj Patel".into(),
        phone: "07700 900456".into(),
        tier: Tier::First,
        weekday,
        start_time: start.parse().unwrap(),
        end_time: end.parse().unwrap(),
        every_weeks: 1,
        from_date: date(from),
        until_date: date(until),
    }
}

#[test]
fn an_overnight_shift_on_the_night_the_clocks_go_back_lasts_an_hour_longer() {
    // Saturday 24 October 2026, 17:00 BST, to Sunday 25 October, 09:00 GMT.
    let shifts = pattern(Weekday::Sat, "17:00", "09:00", "2026-10-19", "2026-10-25").occurrences();
    assert_eq!(shifts, vec![(utc(2026, 10, 24, 16, 0), utc(2026, 10, 25, 9, 0))]);
    assert_eq!((shifts[0].1 - shifts[0].0).num_hours(), 17);
}

#[test]
fn a_pattern_every_two_weeks_makes_every_other_week_from_its_first_weekday() {
    let mut p = pattern(Weekday::Mon, "17:00", "23:00", "2026-11-04", "2026-12-01");
    p.every_weeks = 2;
    let starts: Vec<_> = p.occurrences().into_iter().map(|(s, _)| s).collect();
    assert_eq!(starts, vec![utc(2026, 11, 9, 17, 0), utc(2026, 11, 23, 17, 0)]);
}

#[test]
fn touching_shifts_across_midnight_leave_no_gap_and_the_uncovered_hour_is_found_exactly() {
    let evening = (utc(2026, 11, 23, 17, 0), utc(2026, 11, 24, 0, 0));
    let night = (utc(2026, 11, 24, 0, 0), utc(2026, 11, 24, 8, 0));
    // Carers work 22:30–00:30 across midnight, and 08:00–09:30 the next morning.
    let work = [
        (utc(2026, 11, 23, 22, 30), utc(2026, 11, 23, 23, 30)),
        (utc(2026, 11, 23, 23, 15), utc(2026, 11, 24, 0, 30)),
        (utc(2026, 11, 24, 8, 0), utc(2026, 11, 24, 9, 30)),
    ];
    let gaps = coverage_gaps(&work, &[evening, night]);
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    assert_eq!((gaps[0].from, gaps[0].until), (utc(2026, 11, 24, 8, 0), utc(2026, 11, 24, 9, 30)));
    assert_eq!(gaps[0].visits, 1);
}

#[test]
fn on_the_night_the_clocks_go_forward_a_shift_to_0800_covers_a_0730_visit_and_not_one_at_0800() {
    // Sunday 29 March 2026: 01:00 GMT becomes 02:00 BST. The shift runs
    // from 17:00 GMT Saturday to 08:00 BST Sunday (07:00 UTC).
    let shift = pattern(Weekday::Sat, "17:00", "08:00", "2026-03-23", "2026-03-29").occurrences();
    assert_eq!(shift, vec![(utc(2026, 3, 28, 17, 0), utc(2026, 3, 29, 7, 0))]);
    let early = (utc(2026, 3, 29, 6, 30), utc(2026, 3, 29, 7, 0)); // 07:30–08:00 BST
    let later = (utc(2026, 3, 29, 7, 0), utc(2026, 3, 29, 7, 45)); // 08:00–08:45 BST
    assert!(coverage_gaps(&[early], &shift).is_empty());
    let gaps = coverage_gaps(&[later], &shift);
    assert_eq!(gaps.iter().map(|g| (g.from, g.until)).collect::<Vec<_>>(), vec![later]);
}

/// The roster reads only the visits that could reach time with no
/// first-line cover. For random shifts and visits over three days, the
/// gaps found from those visits alone are the gaps found from every visit.
#[test]
fn visits_wholly_inside_first_line_cover_change_no_gap_and_no_gaps_count_of_visits() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(13);
    let at = |quarter: i64| utc(2026, 11, 23, 0, 0) + chrono::Duration::minutes(15 * quarter);
    let span = |rng: &mut rand_chacha::ChaCha8Rng, longest: i64| {
        let start = rng.random_range(0..3 * 96);
        (at(start), at(start + rng.random_range(1..=longest)))
    };
    let (mut found, mut left_out) = (0, 0);
    for _ in 0..500 {
        let cover: Vec<_> = (0..rng.random_range(0..6)).map(|_| span(&mut rng, 64)).collect();
        let work: Vec<_> = (0..rng.random_range(1..20)).map(|_| span(&mut rng, 12)).collect();
        let open = oncall::uncovered(&oncall::merge(cover.clone()), at(0), at(4 * 96));
        let reaching: Vec<_> = work
            .iter()
            .copied()
            .filter(|(s, e)| open.iter().any(|(o_start, o_end)| s < o_end && e > o_start))
            .collect();
        let gaps = coverage_gaps(&work, &cover);
        assert_eq!(coverage_gaps(&reaching, &cover), gaps, "cover {cover:?}, work {work:?}");
        found += gaps.len();
        left_out += work.len() - reaching.len();
    }
    assert!(found > 100 && left_out > 100, "the cases had gaps ({found}) and covered visits ({left_out})");
}

/// Today looks four weeks ahead for gaps but reads only the dates a visit
/// reaching uncovered time can start on; a night visit from the day before
/// a gap runs into it, and counts.
#[test]
fn the_roster_finds_the_same_gaps_as_reading_every_planned_visit_a_night_visit_from_the_day_before_included() {
    let (mut store, monday) = small_demo_week();
    let client: Uuid = support::texts(&store, "SELECT id FROM clients WHERE status = 'active' ORDER BY id LIMIT 1")[0]
        .parse()
        .unwrap();
    let night = people::PackageInput {
        label: "Waking night".into(),
        weekdays: vec![Weekday::Tue],
        start_time: "22:00".into(),
        duration_min: Some(660.0),
        required_skills: vec![],
        ..support::package_form(client)
    };
    people::save_package(&mut store, &night).unwrap();
    let (from, to) = (monday, monday + chrono::Duration::days(13));
    rota::roll_forward(&mut store, from, to, &mut |_| {}).unwrap();
    // Nobody is first line from 08:00 on the first Wednesday to 08:00 on Thursday.
    let now = store.now();
    let wednesday = monday + chrono::Duration::days(2);
    for shift in oncall::roster(store.read(), from, to, now).unwrap().shifts {
        if shift.tier == Tier::First && shift.starts_at.date_naive() == wednesday {
            oncall::service::remove_shift(&mut store, shift.id).unwrap();
        }
    }
    let roster = oncall::roster(store.read(), from, to, now).unwrap();
    let first_line: Vec<_> =
        roster.shifts.iter().filter(|s| s.tier == Tier::First).map(|s| (s.starts_at, s.ends_at)).collect();
    let every_visit: Vec<(DateTime<Utc>, DateTime<Utc>)> = store
        .read()
        .prepare(
            "SELECT starts_at, duration_min FROM visits
             WHERE deleted_at IS NULL AND status = 'planned' AND local_date BETWEEN ?1 AND ?2",
        )
        .unwrap()
        .query_map([from.to_string(), to.to_string()], |r| {
            let start: DateTime<Utc> = r.get::<_, String>(0)?.parse().unwrap();
            Ok((start, start + chrono::Duration::minutes(r.get(1)?)))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(roster.gaps, coverage_gaps(&every_visit, &first_line));
    let gap = roster.gaps.iter().find(|g| g.from == utc(2026, 3, 4, 8, 0)).expect("Wednesday's gap from 08:00");
    let night_visit = (utc(2026, 3, 3, 22, 0), utc(2026, 3, 4, 9, 0));
    assert!(every_visit.contains(&night_visit), "Tuesday's waking night was rolled forward");
    assert_eq!(
        gap.visits as usize,
        every_visit.iter().filter(|(s, e)| *s < gap.until && *e > gap.from).count(),
        "Wednesday's gap counts every visit in it, Tuesday's night among them"
    );
}

#[test]
fn the_roster_finds_a_gap_where_a_carer_works_with_no_first_line_and_a_second_line_shift_does_not_fill_it() {
    let (mut store, _) = support::store();
    let carer = people::save_carer(&mut store, &support::carer_form()).unwrap();
    let client = people::save_client(&mut store, &support::client_form()).unwrap();
    people::save_package(&mut store, &support::package_form(client)).unwrap();
    rota::roll_forward(&mut store, date("2026-03-02"), date("2026-03-02"), &mut |_| {}).unwrap();
    let visit: Uuid =
        store.read().query_row("SELECT id FROM visits", [], |r| r.get::<_, String>(0)).unwrap().parse().unwrap();
    rota::allocate(&mut store, visit, 1, carer, "").unwrap();
    let shift = |tier| ShiftInput {
        person: "Raj Patel".into(),
        phone: "07700 900456".into(),
        tier: Some(tier),
        starts_at: "2026-03-01T17:00".into(),
        ends_at: "2026-03-02T07:45".into(),
        ..ShiftInput::default()
    };
    save_shift(&mut store, &shift(Tier::First)).unwrap();
    save_shift(&mut store, &ShiftInput { ends_at: "2026-03-02T12:00".into(), ..shift(Tier::Second) }).unwrap();
    let now = store.now();
    let roster = oncall::roster(store.read(), date("2026-03-02"), date("2026-03-02"), now).unwrap();
    // The 07:30–08:15 visit is covered until 07:45 only.
    assert_eq!(roster.gaps.len(), 1, "{:?}", roster.gaps);
    assert_eq!((roster.gaps[0].from, roster.gaps[0].until), (utc(2026, 3, 2, 7, 45), utc(2026, 3, 2, 8, 15)));
    assert_eq!(roster.shifts.len(), 2);
    assert_eq!(
        roster.on_call_now.iter().map(|s| s.tier).collect::<Vec<_>>(),
        vec![Tier::Second],
        "09:00: second line only"
    );
}

#[test]
fn a_shift_that_ends_before_it_starts_or_starts_in_the_skipped_hour_is_refused_with_every_reason() {
    let (mut store, _) = support::store();
    let fields = invalid_fields(save_shift(
        &mut store,
        &ShiftInput {
            person: " ".into(),
            phone: "07700 900456".into(),
            tier: Some(Tier::First),
            starts_at: "2026-03-29T01:30".into(),
            ends_at: "2026-03-28T09:00".into(),
            ..ShiftInput::default()
        },
    ));
    let named: Vec<&str> = fields.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(named, vec!["person", "starts_at"], "{fields:?}");
    assert!(fields[1].1.contains("clocks went forward"), "{fields:?}");
    assert_eq!(count(&store, "SELECT count(*) FROM on_call_shifts"), 0);
}

#[test]
fn a_weekday_evening_pattern_makes_a_shift_each_evening_and_a_swap_exchanges_the_people() {
    let (mut store, _) = support::store();
    let made = save_pattern(
        &mut store,
        &PatternInput {
            person: "Raj Patel".into(),
            phone: "07700 900456".into(),
            tier: Some(Tier::First),
            weekdays: vec![Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri],
            start_time: "17:00".into(),
            end_time: "09:00".into(),
            every_weeks: Some(1.0),
            from_date: "2026-03-02".into(),
            until_date: "2026-03-15".into(),
        },
    )
    .unwrap();
    assert_eq!(made, 10);
    let other = save_shift(
        &mut store,
        &ShiftInput {
            person: "Ann Lee".into(),
            phone: "07700 900789".into(),
            tier: Some(Tier::First),
            starts_at: "2026-03-07T09:00".into(),
            ends_at: "2026-03-09T09:00".into(),
            ..ShiftInput::default()
        },
    )
    .unwrap();
    let monday: Uuid = store
        .read()
        .query_row("SELECT id FROM on_call_shifts WHERE pattern_id IS NOT NULL ORDER BY starts_at LIMIT 1", [], |r| {
            r.get::<_, String>(0)
        })
        .unwrap()
        .parse()
        .unwrap();
    oncall::swap_shifts(&mut store, monday, other).unwrap();
    let person = |id: Uuid| -> String {
        store
            .read()
            .query_row("SELECT person FROM on_call_shifts WHERE id = ?1", [id.to_string()], |r| r.get(0))
            .unwrap()
    };
    assert_eq!((person(monday), person(other)), ("Ann Lee".to_string(), "Raj Patel".to_string()));
    assert_eq!(count(&store, "SELECT count(*) FROM change_log WHERE entity = 'on_call_shifts' AND op = 'update'"), 2);
}

#[test]
fn a_logged_call_is_never_changed_and_its_follow_up_stays_open_until_someone_says_what_was_done() {
    let (mut store, _) = support::store();
    let call = log_call(
        &mut store,
        &CallInput {
            caller: "Sarah Evans (carer)".into(),
            what_happened: "Key safe code does not work at 4 Belle Vue Road".into(),
            action_taken: "Rang the daughter, who let Sarah in".into(),
            follow_up: "Ask the family to reset the key safe".into(),
            ..CallInput::default()
        },
    )
    .unwrap();
    assert_eq!(open_follow_ups(store.read()).unwrap().len(), 1);
    let changed = store.read().execute("UPDATE on_call_calls SET caller = 'someone' WHERE id = ?1", [call.to_string()]);
    assert!(changed.unwrap_err().to_string().contains("never changed"));
    add_to_call(&mut store, call, AddendumKind::Correction, "It was the back door key safe").unwrap();
    assert_eq!(open_follow_ups(store.read()).unwrap().len(), 1, "a correction does not close the follow-up");
    add_to_call(&mut store, call, AddendumKind::FollowUpDone, "Daughter reset it on Tuesday").unwrap();
    assert!(open_follow_ups(store.read()).unwrap().is_empty());
    let again = add_to_call(&mut store, call, AddendumKind::FollowUpDone, "again");
    assert!(matches!(again, Err(Error::Conflict(_))), "{again:?}");
}

#[test]
fn a_call_without_caller_or_what_happened_is_refused_and_nothing_is_logged() {
    let (mut store, _) = support::store();
    let fields =
        invalid_fields(log_call(&mut store, &CallInput { at: "2026-03-02T08:10".into(), ..CallInput::default() }));
    assert_eq!(fields.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(), vec!["caller", "what_happened"]);
    assert_eq!(count(&store, "SELECT count(*) FROM on_call_calls"), 0);
}

/// Sarah, Ann, Bob and Tom can all give medication; Tom is excluded by the
/// client; only Sarah can give insulin. Ann did the client's visits for the
/// two weeks before. The week of 9 March is published. Sarah has the Monday
/// and Wednesday morning calls, and an insulin call at 05:30 on Monday.
struct Sick {
    store: caredesk::Store,
    sarah: Uuid,
    ann: Uuid,
    bob: Uuid,
    tom: Uuid,
}

fn visits_on(store: &caredesk::Store, day: &str) -> Vec<Uuid> {
    let mut stmt = store.read().prepare("SELECT id FROM visits WHERE local_date = ?1 ORDER BY starts_at").unwrap();
    stmt.query_map([day], |r| r.get::<_, String>(0)).unwrap().map(|id| id.unwrap().parse().unwrap()).collect()
}

fn sick_morning() -> Sick {
    let (mut store, clock) = support::store();
    let carer = |given: &str, insulin: bool| {
        let mut form = support::carer_form();
        form.given_name = given.into();
        form.availability[0].start_time = "05:00".into();
        if insulin {
            form.skills.push(SkillInput { id: None, skill: "insulin".into(), expires_on: String::new() });
        }
        form
    };
    let sarah = people::save_carer(&mut store, &carer("Sarah", true)).unwrap();
    let ann = people::save_carer(&mut store, &carer("Ann", false)).unwrap();
    let bob = people::save_carer(&mut store, &carer("Bob", false)).unwrap();
    let tom = people::save_carer(&mut store, &carer("Tom", false)).unwrap();
    let mut client = support::client_form();
    client.carer_preferences.push(people::PreferenceInput {
        id: None,
        carer_id: Some(tom),
        kind: Some(people::PreferenceKind::Excluded),
        reason: "Family complaint".into(),
    });
    let client = people::save_client(&mut store, &client).unwrap();
    let mut morning = support::package_form(client);
    morning.starts_on = "2026-02-23".into();
    people::save_package(&mut store, &morning).unwrap();
    let mut insulin = support::package_form(client);
    insulin.label = "Insulin".into();
    insulin.weekdays = vec![Weekday::Mon];
    insulin.start_time = "05:30".into();
    insulin.duration_min = Some(30.0);
    insulin.required_skills = vec!["insulin".into()];
    insulin.time_critical = true;
    insulin.flex_min = Some(0.0);
    insulin.starts_on = "2026-03-09".into();
    people::save_package(&mut store, &insulin).unwrap();
    rota::roll_forward(&mut store, date("2026-02-23"), date("2026-03-15"), &mut |_| {}).unwrap();
    for day in ["2026-02-23", "2026-02-25", "2026-02-27", "2026-03-02", "2026-03-04", "2026-03-06"] {
        for visit in visits_on(&store, day) {
            rota::allocate(&mut store, visit, 1, ann, "Cover").unwrap();
        }
    }
    for day in ["2026-03-09", "2026-03-11"] {
        for visit in visits_on(&store, day) {
            rota::allocate(&mut store, visit, 1, sarah, "Cover").unwrap();
        }
    }
    rota::publish(&mut store, date("2026-03-09"), date("2026-03-15")).unwrap();
    // 06:30 on Monday 9 March: Sarah phones in sick.
    clock.set(utc(2026, 3, 9, 6, 30));
    Sick { store, sarah, ann, bob, tom }
}

fn off_sick(s: &mut Sick) -> Uuid {
    mark_off(
        &mut s.store,
        &OffInput {
            carer_id: Some(s.sarah),
            kind: Some(AbsenceKind::Sickness),
            from: "2026-03-09T06:30".into(),
            until: "2026-03-11".into(),
            note: "Phoned at 06:30 with a stomach bug".into(),
        },
    )
    .unwrap()
}

#[test]
fn a_carer_off_sick_from_0630_lists_the_visits_still_to_come_time_critical_first_and_not_the_one_already_done() {
    let mut s = sick_morning();
    let absence = off_sick(&mut s);
    let plan = reallocation(&s.store, absence).unwrap();
    let what: Vec<&str> = plan.visits.iter().map(|v| v.what.as_str()).collect();
    assert_eq!(
        what,
        vec![
            "Morning call for Margaret Onions at 07:30 on Mon 9 Mar",
            "Morning call for Margaret Onions at 07:30 on Wed 11 Mar"
        ],
        "the 05:30 insulin call was over before 06:30 and is not listed"
    );
    assert_eq!(plan.summary, "Sickness from 06:30 on Mon 9 Mar to Wed 11 Mar", "the absence in words");
}

/// The plan reads the absent carer's visits filed by date: only the days of
/// the absence, only visits still planned, and continuity from the four
/// weeks before a visit's day, not that day.
#[test]
fn a_sick_carers_plan_leaves_out_cancelled_visits_and_days_after_the_absence_and_continuity_stops_the_day_before() {
    let mut s = sick_morning();
    // Sarah also has Friday's call, after her absence ends on Wednesday;
    // Wednesday's call is then cancelled.
    for visit in visits_on(&s.store, "2026-03-13") {
        rota::allocate(&mut s.store, visit, 1, s.sarah, "Cover").unwrap();
    }
    let wednesday = visits_on(&s.store, "2026-03-11")[0];
    rota::edit::cancel_visit(&mut s.store, wednesday, "Margaret is in hospital").unwrap();
    let absence = off_sick(&mut s);
    let plan = reallocation(&s.store, absence).unwrap();
    let what: Vec<&str> = plan.visits.iter().map(|v| v.what.as_str()).collect();
    assert_eq!(
        what,
        ["Morning call for Margaret Onions at 07:30 on Mon 9 Mar"],
        "not Wednesday's cancelled call, nor Friday's after the absence"
    );

    // Ann did Margaret's calls of 23, 25 and 27 February and 2, 4 and 6 March.
    let client = rota::visits::load_visit(s.store.read(), wednesday).unwrap().client_id;
    let before_4_march = rota::continuity::earlier_visits_by_carer(s.store.read(), client, date("2026-03-04")).unwrap();
    assert_eq!(before_4_march.get(&s.ann), Some(&4), "23, 25, 27 Feb and 2 Mar; not 4 Mar itself");
    assert_eq!(before_4_march.get(&s.sarah), None, "Sarah's calls are all after 4 March");
}

#[test]
fn a_replacement_who_has_visited_the_client_outranks_one_who_has_not_and_an_excluded_carer_never_appears() {
    let mut s = sick_morning();
    let absence = off_sick(&mut s);
    let plan = reallocation(&s.store, absence).unwrap();
    let monday = &plan.visits[0];
    assert_eq!(monday.required_skills, ["Medication administration (level 2)"], "the skill by its catalogue name");
    let ranked: Vec<Uuid> = monday.candidates.iter().map(|c| c.carer_id).collect();
    assert_eq!(ranked, vec![s.ann, s.bob], "Ann first (continuity); Tom excluded; Sarah is the one off");
    assert!(!ranked.contains(&s.tom));
    let ann = &monday.candidates[0];
    assert_eq!(ann.earlier_visits, 6);
    assert!(
        ann.reasons.iter().any(|r| r == "Visited Margaret Onions 6 times in the last 4 weeks"),
        "{:?}",
        ann.reasons
    );
    assert!(ann.reasons.iter().any(|r| r == "Has Medication administration (level 2)"), "{:?}", ann.reasons);
    assert!(ann.reasons.iter().any(|r| r.starts_with("No other visits that day")), "{:?}", ann.reasons);
    assert!(monday.candidates[1].reasons.iter().any(|r| r.starts_with("Has not visited")));
}

#[test]
fn applying_a_replacement_with_a_block_is_refused_and_a_blocked_carer_is_not_allocated() {
    let mut s = sick_morning();
    off_sick(&mut s);
    let monday = visits_on(&s.store, "2026-03-09")[1];
    let refused = apply_replacement(&mut s.store, monday, s.sarah, s.tom, None, "");
    assert!(
        matches!(&refused, Err(Error::Rules(f)) if f.iter().any(|f| f.message.to_string().contains("does not visit"))),
        "{refused:?}"
    );
    assert_eq!(
        count(
            &s.store,
            &format!("SELECT count(*) FROM visit_allocations WHERE carer_id = '{}' AND deleted_at IS NULL", s.tom)
        ),
        0
    );
}

#[test]
fn covering_a_sick_carer_goes_past_a_block_only_for_a_registered_manager_with_a_reason_and_is_recorded() {
    let mut s = sick_morning();
    off_sick(&mut s);
    let monday = visits_on(&s.store, "2026-03-09")[1];
    create_first_user(&mut s.store, &support::user("sam", "Sam Manager", Role::RegisteredManager)).unwrap();
    save_user(&mut s.store, &support::user("jo", "Jo Coordinator", Role::Coordinator)).unwrap();
    let excluded = |result: caredesk::Result<Vec<Finding>>| match result {
        Err(Error::Rules(findings)) => findings.iter().any(|f| f.rule == RuleId::Excluded),
        other => panic!("expected the rules to refuse Tom, got {other:?}"),
    };
    let tom_on_it = |s: &Sick| {
        support::texts(&s.store, "SELECT carer_id FROM visit_allocations WHERE deleted_at IS NULL")
            .contains(&s.tom.to_string())
    };

    // The on-call coordinator cannot give Tom the visit, whatever the reason.
    sign_in(&mut s.store, "jo", support::PASSWORD).unwrap();
    assert!(excluded(apply_replacement(&mut s.store, monday, s.sarah, s.tom, None, "Nobody else is free")));
    sign_out(&mut s.store);
    // The registered manager needs a reason, then may.
    sign_in(&mut s.store, "sam", support::PASSWORD).unwrap();
    assert!(excluded(apply_replacement(&mut s.store, monday, s.sarah, s.tom, None, "")));
    assert!(!tom_on_it(&s), "nothing allocated while refused");
    let gone_past =
        apply_replacement(&mut s.store, monday, s.sarah, s.tom, None, "Daughter agreed on the phone").unwrap();
    assert!(gone_past.iter().any(|f| f.rule == RuleId::Excluded && f.severity == Severity::Block), "{gone_past:?}");
    assert!(tom_on_it(&s), "Tom now has Sarah's slot");
    let recorded =
        support::texts(&s.store, "SELECT rule || ': ' || reason FROM rule_overrides WHERE rule = 'excluded'");
    assert_eq!(recorded, ["excluded: Daughter agreed on the phone"]);
}

#[test]
fn the_whole_sick_morning_every_visit_is_covered_or_queued_with_a_reason_and_everyone_is_to_be_told() {
    let mut s = sick_morning();
    // The insulin call at 05:30 next Monday: only Sarah has insulin.
    let absence = mark_off(
        &mut s.store,
        &OffInput {
            carer_id: Some(s.sarah),
            kind: Some(AbsenceKind::Sickness),
            from: "2026-03-09T06:30".into(),
            until: "2026-03-16".into(),
            note: String::new(),
        },
    )
    .unwrap();
    rota::roll_forward(&mut s.store, date("2026-03-16"), date("2026-03-16"), &mut |_| {}).unwrap();
    let insulin_next_week = visits_on(&s.store, "2026-03-16")[0];
    rota::allocate(&mut s.store, insulin_next_week, 1, s.sarah, "").unwrap_err();
    let before = reallocation(&s.store, absence).unwrap();
    assert_eq!(before.visits.len(), 2);
    let monday = date("2026-03-09");
    let kept_at = Arc::as_ptr(&rota::week::cached_week(&s.store, monday).unwrap()) as usize;

    let applied = apply_best_for_all(&mut s.store, absence, "Covering Sarah's sickness").unwrap();
    assert_eq!(applied.covered.len(), 2, "{applied:?}");
    support::assert_carried_over(&s.store, monday, kept_at, "both of the week's visits covered in one write");
    assert!(applied.covered[0].ends_with("→ Ann Evans"), "{applied:?}");
    let after = reallocation(&s.store, absence).unwrap();
    assert!(
        after.visits.is_empty(),
        "nothing left with Sarah: {:?}",
        after.visits.iter().map(|v| &v.what).collect::<Vec<_>>()
    );

    // Every change is on the to-tell list: Sarah taken off, Ann added, the client told, for each visit.
    let to_tell = untold(s.store.read()).unwrap();
    for visit in visits_on(&s.store, "2026-03-09").into_iter().skip(1).chain(visits_on(&s.store, "2026-03-11")) {
        let about: Vec<&str> = to_tell.iter().filter(|t| t.visit_id == visit).map(|t| t.what.as_str()).collect();
        assert_eq!(about.len(), 3, "{about:?}");
        assert!(about.iter().any(|w| w.starts_with("Taken off")) && about.iter().any(|w| w.starts_with("Added")));
    }
}

#[test]
fn marking_a_carer_off_and_covering_their_visits_one_by_one_keeps_the_open_week_in_step_with_the_store() {
    let mut s = sick_morning();
    // The board of 9 March is open, its week kept, when Sarah phones in.
    let monday = date("2026-03-09");
    rota::board(&s.store, monday, 7).unwrap();
    let kept_at = Arc::as_ptr(&rota::week::cached_week(&s.store, monday).unwrap()) as usize;
    let absence = off_sick(&mut s);
    support::assert_carried_over(&s.store, monday, kept_at, "Sarah marked off");
    reallocation(&s.store, absence).unwrap();
    // Monday's call goes to Ann; each write after that carries the kept week.
    let call = visits_on(&s.store, "2026-03-09")[1];
    apply_replacement(&mut s.store, call, s.sarah, s.ann, None, "Covering Sarah's sickness").unwrap();
    support::assert_carried_over(&s.store, monday, kept_at, "Monday covered");
    // Wednesday's is left in the queue, then given by the plan's best for all.
    let wednesday = visits_on(&s.store, "2026-03-11")[0];
    leave_in_queue(&mut s.store, wednesday, s.sarah, "Waiting for Bob to call back").unwrap();
    support::assert_carried_over(&s.store, monday, kept_at, "Wednesday left in the queue");
    let board = rota::board(&s.store, monday, 7).unwrap();
    let carers = |id: Uuid| board.visits.iter().find(|v| v.id == id).map(|v| v.carers.len());
    assert_eq!((carers(call), carers(wednesday)), (Some(1), Some(0)), "Monday covered, Wednesday waiting");
}

#[test]
fn a_visit_nobody_can_take_is_left_in_the_queue_with_the_reason_and_the_client_is_to_be_told() {
    let mut s = sick_morning();
    rota::roll_forward(&mut s.store, date("2026-03-16"), date("2026-03-16"), &mut |_| {}).unwrap();
    let insulin = visits_on(&s.store, "2026-03-16")[0];
    rota::allocate(&mut s.store, insulin, 1, s.sarah, "Cover").unwrap();
    rota::publish(&mut s.store, date("2026-03-16"), date("2026-03-16")).unwrap();
    let absence = mark_off(
        &mut s.store,
        &OffInput {
            carer_id: Some(s.sarah),
            kind: Some(AbsenceKind::Sickness),
            from: "2026-03-16T00:00".into(),
            until: "2026-03-16".into(),
            note: String::new(),
        },
    )
    .unwrap();
    let plan = reallocation(&s.store, absence).unwrap();
    let visit = &plan.visits[0];
    assert!(visit.time_critical && visit.candidates.is_empty());
    let why = visit.none_fits.clone().expect("a reason nobody fits");
    assert!(why.contains("skill missing"), "{why}");
    let applied = apply_best_for_all(&mut s.store, absence, "Covering").unwrap();
    assert!(applied.covered.is_empty(), "{applied:?}");
    assert_eq!(applied.left, vec![format!("{}: {why}", visit.what)], "the plan says why it left the visit");
    leave_in_queue(&mut s.store, insulin, s.sarah, &why).unwrap();
    let board = rota::board(&s.store, date("2026-03-16"), 1).unwrap();
    let queued = board.visits.iter().find(|v| v.id == insulin).unwrap();
    assert!(queued.needs_carer);
    assert_eq!(queued.queue_note, why, "the unallocated queue says why nobody took it");
    assert!(untold(s.store.read()).unwrap().iter().any(|t| t.visit_id == insulin && t.carer_id.is_none()));
    assert!(reallocation(&s.store, absence).unwrap().visits.is_empty());
}

#[test]
fn the_carer_off_form_opens_at_the_present_moment_on_the_london_clock() {
    let s = sick_morning();
    let form = rota::reallocate::off_form(&s.store, Some(s.sarah));
    assert_eq!((form.from.as_str(), form.until.as_str()), ("2026-03-09T06:30", "2026-03-09"));
    assert_eq!(form.kind, Some(AbsenceKind::Sickness));
}

#[test]
fn marking_a_carer_off_without_a_time_or_a_reason_keeps_nothing_and_names_each_field() {
    let (mut store, _) = support::store();
    let fields = match mark_off(&mut store, &OffInput { until: "2026-03-01".into(), ..OffInput::default() }) {
        Err(Error::Invalid(f)) => f.into_iter().map(|f| f.field).collect::<Vec<_>>(),
        other => panic!("expected a validation error, got {other:?}"),
    };
    assert_eq!(fields, vec!["carer_id", "kind", "from"]);
    assert_eq!(count(&store, "SELECT count(*) FROM carer_absences"), 0);
}

#[test]
fn ranking_only_the_best_few_gives_the_same_top_as_ranking_everyone_and_counts_all_who_fit() {
    use caredesk::rules::replace::{replacements, Context};
    let s = sick_morning();
    let monday = visits_on(&s.store, "2026-03-09")[1];
    let week = rota::week::cached_week(&s.store, date("2026-03-09")).unwrap();
    let visit = week.index().visit(&week.facts, monday).unwrap();
    let earlier = caredesk::ids::IdMap::from_iter([(s.ann, 6)]);
    let added = caredesk::ids::IdMap::default();
    let ranked = |wanted| {
        let ctx =
            Context { known: week.findings_by_carer(), earlier_visits: &earlier, added: &added, flex_min: 30, wanted };
        replacements(&week.facts, week.index(), visit, &ctx)
    };
    let (few, all) = (ranked(1), ranked(usize::MAX));
    assert_eq!(all.fits.iter().map(|r| r.carer_id).collect::<Vec<_>>(), vec![s.ann, s.bob]);
    assert_eq!(few.fits.first(), all.fits.first());
    assert_eq!(few.fits.len(), 1, "Ann has no warnings, so nobody else needed checking");
    assert_eq!((few.fitting, all.fitting), (2, 2));
    assert_eq!(all.blocked_by, vec![("Excluded by the client".to_string(), 1)], "Sarah is on the visit already");
}

/// The small demo agency with this week rolled forward, and its Monday.
fn small_demo_week() -> (caredesk::Store, NaiveDate) {
    let (mut store, _) = support::store();
    let today = store.today();
    caredesk::demo::load(&mut store, &caredesk::demo::generate(caredesk::demo::Size::Small, 7, today)).unwrap();
    let monday = rota::week::monday_of(today);
    rota::roll_forward(&mut store, monday, monday + chrono::Duration::days(6), &mut |_| {}).unwrap();
    (store, monday)
}

#[test]
fn the_quick_block_check_agrees_with_the_rules_for_every_carer_and_visit_of_a_demo_week() {
    use caredesk::rules::{blocking_rule, check_allocation, RuleId, Severity};
    let (store, monday) = small_demo_week();
    let week = rota::week::cached_week(&store, monday).unwrap();
    let facts = &week.facts;
    let mut pairs = 0;
    let mut blocked = 0;
    for visit in facts.visits.iter().step_by(7) {
        let client = &facts.clients[&visit.client_id];
        for (carer_id, carer) in &facts.carers {
            let quick = blocking_rule(visit, carer, client);
            let full = check_allocation(facts, visit.id, *carer_id)
                .into_iter()
                .find(|f| f.severity == Severity::Block && f.rule != RuleId::Overlap)
                .map(|f| f.rule);
            assert_eq!(quick, full, "{} for carer {carer_id}", visit.describe());
            pairs += 1;
            blocked += usize::from(quick.is_some());
        }
    }
    assert!(
        pairs > 5_000 && blocked > 100 && blocked < pairs,
        "{blocked} of {pairs} blocked: the week tests both sides"
    );
}

/// The small demo agency's week with its demo rota given, kept, and ranked
/// for: everyone who could take `visit` over, the best `wanted` described,
/// with no earlier visits counted, nothing added by a plan and no moving.
struct DemoRota {
    week: std::sync::Arc<rota::week::Week>,
    _store: caredesk::Store,
}

impl DemoRota {
    fn new() -> DemoRota {
        let (mut store, monday) = small_demo_week();
        caredesk::demo::rota::allocate_in_turn(&mut store, monday, monday + chrono::Duration::days(6)).unwrap();
        DemoRota { week: rota::week::cached_week(&store, monday).unwrap(), _store: store }
    }

    fn ranked(&self, visit: &caredesk::rules::VisitFacts, wanted: usize) -> caredesk::rules::Ranked {
        use caredesk::rules::replace::{replacements, Context};
        let (no_earlier, nothing_added) = (caredesk::ids::IdMap::default(), caredesk::ids::IdMap::default());
        let ctx = Context {
            known: self.week.findings_by_carer(),
            earlier_visits: &no_earlier,
            added: &nothing_added,
            flex_min: 0,
            wanted,
        };
        replacements(&self.week.facts, self.week.index(), visit, &ctx)
    }
}

/// A replacement's hours this week come from the rules' own check of the
/// carer's week with the visit: they must be what the carer's row would
/// count with the visit given them, for everyone ranked over a demo week.
#[test]
fn each_replacements_week_hours_are_what_their_row_would_count_with_the_visit() {
    let demo = DemoRota::new();
    let (facts, index, monday) = (&demo.week.facts, demo.week.index(), demo.week.facts.week_start);
    let mut compared = 0;
    for visit in
        facts.visits.iter().filter(|v| (monday..monday + chrono::Duration::days(7)).contains(&v.date)).step_by(29)
    {
        for fit in demo.ranked(visit, usize::MAX).fits {
            let mut with = index.run(facts, fit.carer_id);
            with.push(visit);
            let row = caredesk::rules::week_work(facts, &facts.carers[&fit.carer_id], &with);
            assert_eq!(fit.week_minutes, i64::from(row.minutes()), "{} for {}", visit.describe(), fit.name);
            compared += 1;
        }
    }
    assert!(compared > 200, "{compared} replacements compared");
}

#[test]
fn visits_through_an_uncovered_day_make_one_gap_from_the_first_to_the_last_not_one_per_visit() {
    let cover = [(utc(2026, 12, 5, 18, 0), utc(2026, 12, 6, 8, 0)), (utc(2026, 12, 7, 8, 0), utc(2026, 12, 7, 18, 0))];
    let work = [
        (utc(2026, 12, 6, 8, 0), utc(2026, 12, 6, 8, 45)),
        (utc(2026, 12, 6, 12, 0), utc(2026, 12, 6, 13, 15)),
        (utc(2026, 12, 6, 19, 45), utc(2026, 12, 6, 21, 15)),
        (utc(2026, 12, 7, 8, 30), utc(2026, 12, 7, 9, 0)),
    ];
    let gaps = coverage_gaps(&work, &cover);
    assert_eq!(
        gaps.iter().map(|g| (g.from, g.until, g.visits)).collect::<Vec<_>>(),
        vec![(utc(2026, 12, 6, 8, 0), utc(2026, 12, 6, 21, 15), 3)]
    );
}

/// Only the best few replacements are described in words; they must be
/// exactly the top of the list ranking and describing everyone would give,
/// reasons and all, for visits across a demo week where most have warnings.
#[test]
fn the_best_five_replacements_are_the_top_five_of_everyone_ranked_with_the_same_reasons() {
    let demo = DemoRota::new();
    let (mut compared, mut with_warnings) = (0, 0);
    for visit in demo.week.facts.visits.iter().step_by(17) {
        let (best, everyone) = (demo.ranked(visit, 5), demo.ranked(visit, usize::MAX));
        let top = &everyone.fits[..everyone.fits.len().min(5)];
        assert_eq!(best.fits, top, "the best five for {}", visit.describe());
        assert_eq!(best.fitting, everyone.fitting, "everyone who fits is counted for {}", visit.describe());
        compared += 1;
        with_warnings += usize::from(everyone.fits.iter().filter(|r| !r.warnings.is_empty()).count() > 5);
    }
    assert!(compared > 50 && with_warnings > 10, "{compared} visits, {with_warnings} with many warned fits");
}

/// On the afternoon before the October night, the Today page's on-call
/// panel says the clocks go back tonight; on an ordinary day it says
/// nothing of the clocks.
#[test]
fn the_on_call_summary_says_when_the_clocks_change_in_the_next_day() {
    let (store, _) = support::store();
    let today = date("2026-10-24");
    let before = oncall::summary(store.read(), today, utc(2026, 10, 24, 15, 0)).unwrap();
    assert_eq!(before.clock_changes.len(), 1, "{:?}", before.clock_changes);
    assert!(before.clock_changes[0].starts_with("Sun 25 Oct: Clocks go back at 02:00"), "{}", before.clock_changes[0]);
    let after = oncall::summary(store.read(), date("2026-10-25"), utc(2026, 10, 25, 9, 0)).unwrap();
    assert!(after.clock_changes.is_empty(), "once the clocks have gone back: {:?}", after.clock_changes);
}
