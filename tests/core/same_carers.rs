//! Giving a week's waiting visits the carers they had the week before,
//! where the rules allow, and saying why where they do not.

use crate::support::{self, count};
use caredesk::people::{self, AbsenceKind, AvailabilityInput, Weekday};
use caredesk::rota::reallocate::{mark_off, OffInput};
use caredesk::rota::{self, give_same_carers};
use caredesk::Store;
use chrono::NaiveDate;
use uuid::Uuid;

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// A carer who works Monday, Wednesday and Friday mornings.
fn carer(store: &mut Store, given: &str) -> Uuid {
    let mut form = support::carer_form();
    form.given_name = given.into();
    form.availability = [Weekday::Mon, Weekday::Wed, Weekday::Fri]
        .into_iter()
        .map(|day| AvailabilityInput {
            id: None,
            weekday: Some(day),
            start_time: "07:00".into(),
            end_time: "14:30".into(),
        })
        .collect();
    people::save_carer(store, &form).unwrap()
}

/// The client's morning call (Mon, Wed, Fri 07:30) on `day`.
fn call_on(store: &Store, day: &str) -> Uuid {
    let id: String =
        store.read().query_row("SELECT id FROM visits WHERE local_date = ?1", [day], |r| r.get(0)).unwrap();
    id.parse().unwrap()
}

fn carers_of(store: &Store, visit: Uuid) -> Vec<String> {
    support::texts(
        store,
        &format!(
            "SELECT c.given_name FROM visit_allocations a JOIN carers c ON c.id = a.carer_id
             WHERE a.visit_id = '{visit}' AND a.deleted_at IS NULL ORDER BY a.slot"
        ),
    )
}

struct Fortnight {
    store: Store,
    sarah: Uuid,
    ann: Uuid,
}

/// Sarah and Ann; the morning call rolled forward for 2–22 March 2026.
/// In the first week Sarah does Monday and Wednesday, Ann Friday.
fn fortnight() -> Fortnight {
    let (mut store, _) = support::store();
    let (sarah, ann) = (carer(&mut store, "Sarah"), carer(&mut store, "Ann"));
    let client = people::save_client(&mut store, &support::client_form()).unwrap();
    people::save_package(&mut store, &support::package_form(client)).unwrap();
    rota::roll_forward(&mut store, date("2026-03-02"), date("2026-03-22"), &mut |_| {}).unwrap();
    for (day, carer) in [("2026-03-02", sarah), ("2026-03-04", sarah), ("2026-03-06", ann)] {
        let visit = call_on(&store, day);
        rota::allocate(&mut store, visit, 1, carer, "").unwrap();
    }
    Fortnight { store, sarah, ann }
}

fn sarah_on_leave_on_wednesday_11th(f: &mut Fortnight) {
    let leave = OffInput {
        carer_id: Some(f.sarah),
        kind: Some(AbsenceKind::AnnualLeave),
        from: "2026-03-11T00:00".into(),
        until: "2026-03-11".into(),
        note: String::new(),
    };
    mark_off(&mut f.store, &leave).unwrap();
}

/// Rolls `from`..=`to` forward, with last week's carers given or not, as
/// the roll forward page does when nobody presses Stop.
fn roll(f: &mut Fortnight, from: &str, to: &str, same_carers: bool) -> rota::RollOutcome {
    rota::roll_forward_then_give(&mut f.store, date(from), date(to), same_carers, &Default::default(), &mut |_| {})
        .unwrap()
}

#[test]
fn next_weeks_waiting_visits_get_last_weeks_carers_and_a_carer_on_leave_leaves_hers_open_with_why() {
    let mut f = fortnight();
    // Sarah is on leave on Wednesday 11th; Friday 13th has Sarah already.
    sarah_on_leave_on_wednesday_11th(&mut f);
    let friday = call_on(&f.store, "2026-03-13");
    rota::allocate(&mut f.store, friday, 1, f.sarah, "").unwrap();

    // The week is open on the board, its facts kept, when the carers are given.
    rota::board(&f.store, date("2026-03-09"), 7).unwrap();
    let kept_at = std::sync::Arc::as_ptr(&rota::week::cached_week(&f.store, date("2026-03-09")).unwrap()) as usize;
    let outcome = give_same_carers(&mut f.store, date("2026-03-09"), 7, "").unwrap();
    support::assert_carried_over(&f.store, date("2026-03-09"), kept_at, "last week's carers given");
    assert_eq!(outcome.given, 1, "Monday goes back to Sarah: {outcome:?}");
    assert_eq!(carers_of(&f.store, call_on(&f.store, "2026-03-09")), ["Sarah"]);
    assert_eq!(carers_of(&f.store, call_on(&f.store, "2026-03-11")), Vec::<String>::new(), "Sarah is on leave");
    assert_eq!(carers_of(&f.store, call_on(&f.store, "2026-03-13")), ["Sarah"], "a visit with its carer is left alone");
    assert_eq!(outcome.left.len(), 1, "{:?}", outcome.left);
    assert!(
        outcome.left[0].starts_with("Morning call for Margaret Onions at 07:30 on Wed 11 Mar: ")
            && outcome.left[0].contains("annual leave"),
        "the left visit says when and why: {:?}",
        outcome.left
    );
    assert_eq!(outcome.nothing_before, 0);
    let board = rota::board(&f.store, date("2026-03-09"), 7).unwrap();
    assert_eq!((board.blocks, board.warnings), (0, 0), "what is given adds no finding");

    // Asked again, nothing more is given and the same visit is left.
    let again = give_same_carers(&mut f.store, date("2026-03-09"), 7, "").unwrap();
    assert_eq!((again.given, again.left.len()), (0, 1), "{again:?}");
    assert_eq!(count(&f.store, "SELECT count(*) FROM visit_allocations WHERE deleted_at IS NULL"), 5);
}

#[test]
fn given_with_a_reason_a_slot_only_warnings_kept_open_is_filled_and_the_warning_recorded_but_a_block_keeps_its_slot() {
    let mut f = fortnight();
    // Sarah is on leave on Wednesday 11th: a block.
    sarah_on_leave_on_wednesday_11th(&mut f);
    // Ann no longer works Fridays: Friday 13th is outside her availability, a warning.
    let mut ann = people::carer_form(f.store.read(), Some(f.ann), f.store.today()).unwrap();
    ann.availability.retain(|slot| slot.weekday != Some(Weekday::Fri));
    people::save_carer(&mut f.store, &ann).unwrap();
    let (wednesday, friday) = (call_on(&f.store, "2026-03-11"), call_on(&f.store, "2026-03-13"));

    let without = give_same_carers(&mut f.store, date("2026-03-09"), 7, "").unwrap();
    assert_eq!((without.given, without.left.len()), (1, 2), "Monday given, the other two left: {without:?}");
    assert_eq!((without.left_for_warnings, without.past_warnings), (1, 0), "{without:?}");
    assert_eq!(carers_of(&f.store, friday), Vec::<String>::new(), "a warning keeps the slot open without a reason");
    let blank = give_same_carers(&mut f.store, date("2026-03-09"), 7, "   ").unwrap();
    assert_eq!((blank.given, blank.left_for_warnings), (0, 1), "a blank reason is no reason: {blank:?}");

    let with = give_same_carers(&mut f.store, date("2026-03-09"), 7, "Ann agreed to do Friday").unwrap();
    assert_eq!((with.given, with.past_warnings, with.left_for_warnings), (1, 1, 0), "{with:?}");
    assert_eq!(carers_of(&f.store, friday), ["Ann"]);
    assert_eq!(carers_of(&f.store, wednesday), Vec::<String>::new(), "no reason goes past Sarah's leave");
    assert!(with.left.len() == 1 && with.left[0].contains("annual leave"), "{:?}", with.left);
    assert_eq!(
        support::texts(&f.store, "SELECT rule || ': ' || reason FROM rule_overrides"),
        ["outside_availability: Ann agreed to do Friday"],
        "the warning gone past is recorded with the reason"
    );
}

#[test]
fn a_visit_cancelled_last_week_takes_the_carer_from_the_week_before_and_a_visit_never_staffed_is_counted() {
    let mut f = fortnight();
    // Monday 9th is cancelled; Monday 16th looks back past it to the 2nd.
    let cancelled = call_on(&f.store, "2026-03-09");
    rota::cancel_visit(&mut f.store, cancelled, "Client at hospital").unwrap();
    let monday = give_same_carers(&mut f.store, date("2026-03-16"), 1, "").unwrap();
    assert_eq!((monday.given, monday.nothing_before), (1, 0), "{monday:?}");
    assert_eq!(carers_of(&f.store, call_on(&f.store, "2026-03-16")), ["Sarah"]);
    // Wednesday 18th: the 11th had nobody, so there is nobody to give.
    let wednesday = give_same_carers(&mut f.store, date("2026-03-18"), 1, "").unwrap();
    assert_eq!((wednesday.given, wednesday.nothing_before), (0, 1), "{wednesday:?}");
    // A carer who leaves during the week is not given a visit after it.
    let mut ann = people::carer_form(f.store.read(), Some(f.ann), f.store.today()).unwrap();
    ann.left_on = "2026-03-10".into();
    people::save_carer(&mut f.store, &ann).unwrap();
    let friday = give_same_carers(&mut f.store, date("2026-03-13"), 1, "").unwrap();
    assert_eq!(friday.given, 0);
    assert_eq!(
        friday.left,
        ["Morning call for Margaret Onions at 07:30 on Fri 13 Mar: Ann Evans left the agency on Tue 10 Mar 2026"]
    );
    // Nor one who had left before the week began.
    ann.left_on = "2026-03-07".into();
    people::save_carer(&mut f.store, &ann).unwrap();
    let friday = give_same_carers(&mut f.store, date("2026-03-13"), 1, "").unwrap();
    assert_eq!(
        friday.left,
        ["Morning call for Margaret Onions at 07:30 on Fri 13 Mar: the carer who had it last time has left the agency"]
    );
}

#[test]
fn after_a_change_to_this_and_future_visits_the_new_packages_visits_look_back_to_the_old_ones() {
    let mut f = fortnight();
    // From Monday 9th the morning call is at 08:00: a new package from then.
    let monday = call_on(&f.store, "2026-03-09");
    let mut form = rota::visit_form(f.store.read(), monday).unwrap();
    (form.start_time, form.scope) = ("08:00".into(), rota::EditScope::ThisAndFuture);
    rota::edit_visit(&mut f.store, &form).unwrap();
    let packages = count(&f.store, "SELECT count(DISTINCT package_id) FROM visits");
    assert_eq!(packages, 2, "the visits from the 9th belong to the new package");

    let outcome = give_same_carers(&mut f.store, date("2026-03-09"), 7, "").unwrap();
    assert_eq!((outcome.given, outcome.nothing_before), (3, 0), "{outcome:?}");
    for (day, carer) in [("2026-03-09", "Sarah"), ("2026-03-11", "Sarah"), ("2026-03-13", "Ann")] {
        assert_eq!(carers_of(&f.store, call_on(&f.store, day)), [carer], "{day}");
    }
}

#[test]
fn two_weeks_at_once_carry_the_first_weeks_carers_through_each_week_in_turn() {
    let mut f = fortnight();
    // 9 to 22 March: the second week is given what the first was given.
    let outcome = give_same_carers(&mut f.store, date("2026-03-09"), 14, "").unwrap();
    assert_eq!((outcome.given, outcome.left.len()), (6, 0), "{outcome:?}");
    for (day, carer) in [("2026-03-16", "Sarah"), ("2026-03-18", "Sarah"), ("2026-03-20", "Ann")] {
        assert_eq!(carers_of(&f.store, call_on(&f.store, day)), [carer], "{day}");
    }
}

#[test]
fn rolling_a_new_week_forward_with_the_same_carers_staffs_it_as_the_week_before() {
    let mut f = fortnight();
    let plain = roll(&mut f, "2026-03-23", "2026-03-29", false);
    assert_eq!((plain.rolled.created, plain.carers.is_none()), (3, true), "rolled, nobody given");
    let outcome = roll(&mut f, "2026-03-09", "2026-03-15", true);
    assert_eq!(outcome.rolled.unchanged, 3, "the week was there already");
    assert_eq!(outcome.carers.map(|c| c.given), Some(3), "and is staffed as the week of 2 March");
    assert_eq!(carers_of(&f.store, call_on(&f.store, "2026-03-13")), ["Ann"]);
}

/// A fortnight rolled with the same carers: the bar hears the care
/// packages rolled, then each week as it is given, so it does not stand
/// full while the carers are given (seconds a week on the huge agency).
#[test]
fn a_roll_with_the_same_carers_reports_the_days_rolled_then_each_week_given() {
    let mut f = fortnight();
    let mut heard = Vec::new();
    let outcome = rota::roll_forward_then_give(
        &mut f.store,
        date("2026-03-09"),
        date("2026-03-22"),
        true,
        &Default::default(),
        &mut |p| heard.push((p.said, p.done, p.total, p.stoppable)),
    );
    assert!(outcome.unwrap().carers.is_some_and(|c| c.given > 0 && c.stopped.is_none()), "carers were all given");
    let said = |s: &str, done, total, stoppable| (s.to_string(), done, total, stoppable);
    assert_eq!(
        heard,
        [
            said("Mon 9 Mar 2026 to Sun 22 Mar 2026: 0 of 1 care package rolled forward", 0, 1, false),
            said("Mon 9 Mar 2026 to Sun 22 Mar 2026: 1 of 1 care package rolled forward", 1, 1, false),
            said("Giving last week's carers: week 1 of 2", 0, 2, true),
            said("Giving last week's carers: week 2 of 2", 1, 2, false),
        ],
        "a Stop is offered only while another week is still to come"
    );
}

/// Stop pressed while a fortnight's waiting visits are given last week's
/// carers: the week being given is finished and the next is left waiting,
/// as giving it would have given Monday 16th Sarah again.
#[test]
fn a_stop_while_giving_ends_after_the_week_being_given_and_says_which_days_wait() {
    let mut f = fortnight();
    let stop = std::sync::atomic::AtomicBool::new(false);
    let outcome =
        rota::roll_forward_then_give(&mut f.store, date("2026-03-09"), date("2026-03-22"), true, &stop, &mut |p| {
            if p.said.starts_with("Giving") {
                stop.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        });
    let carers = outcome.unwrap().carers.expect("the days were all rolled, so carers were given");
    assert_eq!(carers_of(&f.store, call_on(&f.store, "2026-03-09")), ["Sarah"], "the first week is given");
    assert_eq!(carers_of(&f.store, call_on(&f.store, "2026-03-16")), Vec::<String>::new(), "the second waits");
    assert_eq!(
        carers.stopped.as_deref(),
        Some(
            "Stopped when asked: last week's carers given from Mon 9 Mar 2026 to Sun 15 Mar 2026, \
             not from Mon 16 Mar 2026 to Sun 22 Mar 2026. Roll the same days forward again to give \
             them: the visits already made stay as they are."
        )
    );
    // As the sentence says: the same days again make nothing and give the rest.
    let again = roll(&mut f, "2026-03-09", "2026-03-22", true);
    assert_eq!(again.rolled.created, 0, "nothing made again: {again:?}");
    assert_eq!(carers_of(&f.store, call_on(&f.store, "2026-03-16")), ["Sarah"], "the second week given");
}

/// Stop pressed during a roll of more than a month with the same carers
/// asked for: the first pass (a month) is rolled, and nobody is given, as
/// the roll was ended.
#[test]
fn a_roll_with_the_same_carers_stopped_part_way_gives_nobody() {
    let mut f = fortnight();
    let stop = std::sync::atomic::AtomicBool::new(true);
    let outcome =
        rota::roll_forward_then_give(&mut f.store, date("2026-03-23"), date("2026-04-30"), true, &stop, &mut |_| {});
    let outcome = outcome.unwrap();
    assert!(outcome.rolled.stopped.is_some(), "{outcome:?}");
    assert_eq!((outcome.rolled.created, outcome.carers.is_none()), (14, true), "23 March to 22 April, nobody given");
    assert_eq!(carers_of(&f.store, call_on(&f.store, "2026-03-27")), Vec::<String>::new(), "Friday's call waits");
}

#[test]
fn more_than_a_year_at_once_is_refused_with_the_field_named() {
    let mut f = fortnight();
    let fields = support::invalid_fields(give_same_carers(&mut f.store, date("2026-03-09"), 367, ""));
    assert_eq!(fields, [("days".to_string(), "Give last week's carers for 1 to 366 days".to_string())]);
}

/// Giving a week its last carers tells the board how it goes, for its bar:
/// the carers found, then each checked with every rule, then each
/// allocation written (every one of so few; a hundred times a step on a
/// huge week's tens of thousands).
#[test]
fn giving_last_weeks_carers_says_each_step_for_the_boards_bar() {
    let mut f = fortnight();
    let mut heard = Vec::new();
    let outcome =
        rota::give_same_carers_telling(&mut f.store, date("2026-03-09"), 7, "", &mut |p| heard.push(p.said)).unwrap();
    assert_eq!(outcome.given, 3, "Monday, Wednesday and Friday given: {outcome:?}");
    assert_eq!(
        heard,
        [
            "Finding the carers each visit had last time…",
            "Checking 1 of 3 carers with every rule",
            "Checking 2 of 3 carers with every rule",
            "Checking 3 of 3 carers with every rule",
            "Writing 1 of 3 allocations",
            "Writing 2 of 3 allocations",
            "Writing 3 of 3 allocations",
        ]
    );
}
