//! Auto-scheduling a day of the app's own visits: the proposal changes
//! nothing until applied, what is applied adds no rule finding (and is
//! carried into the kept week), fixed allocations stay, and a slot nobody
//! can take says why.

use crate::support;
use caredesk::rota::auto::{apply_auto_plan, auto_schedule, offers_together, AutoChoice};
use caredesk::rules::Severity;
use caredesk::schedule::Options;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// A search bounded by steps, so the plan is the same on any machine.
fn steps(max_steps: u64) -> Options {
    Options { seconds: 600.0, seed: 1, max_steps: Some(max_steps) }
}

fn date(text: &str) -> chrono::NaiveDate {
    text.parse().unwrap()
}

/// The small demo agency, its visits rolled forward from Monday 2 March
/// 2026 to `to`, none of them given a carer yet.
fn small_demo_rolled_to(to: &str) -> caredesk::Store {
    let (mut store, _) = support::store();
    let agency = caredesk::demo::generate(caredesk::demo::Size::Small, 7, date("2026-03-02"));
    caredesk::demo::load(&mut store, &agency).unwrap();
    caredesk::rota::roll_forward(&mut store, date("2026-03-02"), date(to), &mut |_| {}).unwrap();
    store
}

/// What a coordinator gets by hand: each open slot in time order to the
/// first carer the rules find nothing against, knowing the slots before.
fn first_carer_the_rules_allow(store: &caredesk::Store, day: chrono::NaiveDate) -> usize {
    let week = caredesk::rota::week::cached_week(store, day).unwrap();
    let mut facts = week.facts.clone();
    let mut carers: Vec<uuid::Uuid> = facts.carers.keys().copied().collect();
    carers.sort();
    let mut order: Vec<usize> = (0..facts.visits.len()).filter(|&i| facts.visits[i].date == day).collect();
    order.sort_by_key(|&i| facts.visits[i].start);
    let mut given = 0;
    for i in order {
        for _ in facts.visits[i].carers.len()..usize::from(facts.visits[i].carers_required) {
            let fits = carers.iter().copied().find(|c| {
                !facts.visits[i].carers.contains(c)
                    && caredesk::rules::check_allocation_as(&facts, &facts.visits[i], *c).is_empty()
            });
            if let Some(c) = fits {
                facts.visits[i].carers.push(c);
                given += 1;
            }
        }
    }
    given
}

#[test]
fn a_day_is_proposed_then_applied_in_one_write_and_adds_no_finding_to_the_rota() {
    let mut store = small_demo_rolled_to("2026-03-02");
    let allocations = |store: &caredesk::Store| {
        support::count(store, "SELECT count(*) FROM visit_allocations WHERE deleted_at IS NULL")
    };
    let logged = |store: &caredesk::Store| {
        support::count(store, "SELECT count(*) FROM change_log WHERE entity = 'visit_allocations' AND op = 'insert'")
    };
    let (allocated_before, writes_before) = (allocations(&store), logged(&store));

    let mut reports = 0;
    let plan = auto_schedule(&store, date("2026-03-02"), 1, steps(400), &AtomicBool::new(false), &mut |_| reports += 1)
        .unwrap();
    assert!(reports > 0, "progress is reported");
    assert_eq!(allocations(&store), allocated_before, "a proposal changes nothing");
    let open: u32 =
        support::count(&store, "SELECT coalesce(sum(carers_required), 0) FROM visits WHERE local_date = '2026-03-02'")
            as u32;
    assert_eq!(plan.open_slots, open, "every slot of the day is open before anything is allocated");
    let by_hand = first_carer_the_rules_allow(&store, date("2026-03-02"));
    assert!(
        plan.proposals.len() >= by_hand,
        "{} of {open} slots proposed; giving each slot in turn to the first carer the rules allow covers {by_hand}",
        plan.proposals.len()
    );
    assert_eq!(
        plan.proposals.len() + plan.left.len(),
        open as usize,
        "every open slot is proposed or left with a reason"
    );
    assert!(plan.left.iter().all(|l| !l.why.is_empty()));
    assert!(plan.added_travel_min > 0);

    let choices: Vec<AutoChoice> = plan.proposals.iter().map(|p| p.choice.clone()).collect();
    let kept_at = Arc::as_ptr(&caredesk::rota::week::cached_week(&store, date("2026-03-02")).unwrap()) as usize;
    let applied = apply_auto_plan(&mut store, &choices, "").unwrap();
    assert_eq!(applied.given as usize, choices.len(), "skipped: {:?}", applied.skipped);
    assert_eq!(allocations(&store), allocated_before + choices.len() as i64);
    assert_eq!(logged(&store), writes_before + choices.len() as i64, "each allocation is in the change log");
    // The board that follows does not read the week again.
    support::assert_carried_over(&store, date("2026-03-02"), kept_at, "the plan applied");

    let week = caredesk::rota::week::cached_week(&store, date("2026-03-02")).unwrap();
    let on_the_day: Vec<_> = week
        .findings()
        .iter()
        .filter(|f| f.carer_id.is_some())
        .filter(|f| f.visit_ids.iter().any(|id| choices.iter().any(|c| c.visit_id == *id)))
        .collect();
    assert!(on_the_day.is_empty(), "the applied allocations add no finding: {on_the_day:#?}");
    assert!(!week.findings().iter().any(|f| f.severity == Severity::Block && f.carer_id.is_some()));

    // Applied twice, nothing is left to give.
    let again = apply_auto_plan(&mut store, &choices, "").unwrap_err();
    assert!(again.to_string().contains("Nothing could be applied"), "{again}");
    let next = auto_schedule(&store, date("2026-03-02"), 1, steps(50), &AtomicBool::new(false), &mut |_| {}).unwrap();
    assert_eq!(next.open_slots as usize, plan.left.len(), "only the slots left before are open now");
}

#[test]
fn days_of_a_week_are_planned_together_and_a_range_across_two_weeks_is_refused() {
    let mut store = small_demo_rolled_to("2026-03-04");
    let mut days_seen = std::collections::BTreeSet::new();
    let plan = auto_schedule(&store, date("2026-03-02"), 3, steps(100), &AtomicBool::new(false), &mut |p| {
        days_seen.insert((p.day, p.days));
    })
    .unwrap();
    assert_eq!(days_seen.into_iter().collect::<Vec<_>>(), vec![(1, 3), (2, 3), (3, 3)], "progress names each day");
    let open: i64 = support::count(
        &store,
        "SELECT coalesce(sum(carers_required), 0) FROM visits WHERE local_date BETWEEN '2026-03-02' AND '2026-03-04'",
    );
    assert_eq!((plan.days, i64::from(plan.open_slots)), (3, open));
    let on: std::collections::BTreeSet<String> =
        plan.proposals.iter().map(|p| p.when.split(" on ").nth(1).unwrap_or_default().to_string()).collect();
    assert_eq!(on.len(), 3, "allocations on each of the three days: {on:?}");

    let choices: Vec<AutoChoice> = plan.proposals.iter().map(|p| p.choice.clone()).collect();
    let applied = apply_auto_plan(&mut store, &choices, "").unwrap();
    assert_eq!(applied.given as usize, choices.len(), "skipped: {:?}", applied.skipped);
    let week = caredesk::rota::week::cached_week(&store, date("2026-03-02")).unwrap();
    let against: Vec<_> = week
        .findings()
        .iter()
        .filter(|f| f.carer_id.is_some())
        .filter(|f| f.visit_ids.iter().any(|id| choices.iter().any(|c| c.visit_id == *id)))
        .collect();
    assert!(against.is_empty(), "rest between the days is respected too: {against:#?}");

    let across =
        auto_schedule(&store, date("2026-03-08"), 2, steps(10), &AtomicBool::new(false), &mut |_| {}).unwrap_err();
    assert!(
        across.to_string().contains("within one week") || format!("{:?}", across.payload()).contains("within one week")
    );
}

#[test]
fn a_search_of_one_to_two_minutes_is_accepted_and_anything_else_is_refused_on_the_seconds_field() {
    assert_eq!(caredesk::rota::auto::search_options(10.0).expect("ten seconds").seconds, 10.0);
    assert!(caredesk::rota::auto::search_options(120.0).is_ok(), "two minutes is the most");
    for bad in [0.0, 0.5, 121.0, f64::NAN, f64::INFINITY] {
        match caredesk::rota::auto::search_options(bad) {
            Err(caredesk::Error::Invalid(fields)) => {
                assert_eq!(fields[0].field, "seconds", "{bad}");
                assert_eq!(fields[0].message, "Search for 1 to 120 seconds");
            }
            other => panic!("{bad} seconds should be refused, got {other:?}"),
        }
    }
}

#[test]
fn a_plan_tells_apart_two_carers_who_share_a_name_by_their_postcodes() {
    let store = small_demo_rolled_to("2026-03-02");
    let week = caredesk::rota::week::cached_week(&store, date("2026-03-02")).unwrap();
    let names: std::collections::HashMap<uuid::Uuid, &str> =
        week.facts.carers.values().map(|c| (c.carer.id, &*c.name)).collect();
    // The demo agency has two carers called Laura Roberts.
    let mut lauras: Vec<&&str> = names.values().filter(|n| n.starts_with("Laura Roberts")).collect();
    lauras.sort();
    assert_eq!(lauras.len(), 2);
    assert!(lauras[0] != lauras[1] && lauras.iter().all(|n| n.ends_with(')')), "told apart: {lauras:?}");
    assert!(names.values().any(|n| *n == "Zoe Mills"), "a name nobody shares stays as it is");

    let plan = auto_schedule(&store, date("2026-03-02"), 1, steps(0), &AtomicBool::new(false), &mut |_| {}).unwrap();
    assert!(!plan.proposals.is_empty());
    for p in &plan.proposals {
        assert_eq!(p.carer, names[&p.choice.carer_id], "the plan names each carer as the week does");
    }
}

#[test]
fn a_slot_left_open_for_a_warning_alone_offers_the_chosen_carer_and_is_given_only_with_a_reason() {
    let mut store = small_demo_rolled_to("2026-03-03");
    // Over two days, the scheduler gives some carers a late visit then an
    // early one, which the rules warn is less than 11 hours' rest.
    let plan = auto_schedule(&store, date("2026-03-02"), 2, steps(400), &AtomicBool::new(false), &mut |_| {}).unwrap();
    let rest = "the Working Time Regulations require 11 consecutive hours";
    let left = plan.left.iter().find(|l| l.why.contains(rest)).expect("a slot left open for a short rest");
    let offer = left.past_warning.as_ref().expect("the carer the scheduler chose is offered past the warning");
    assert_eq!(offer.choice.visit_id, left.visit_id);
    assert!(left.why.contains(&offer.carer), "the warning names the carer offered: {} / {}", left.why, offer.carer);
    for other in plan.left.iter().filter(|l| l.past_warning.is_none()) {
        assert!(
            !other.why.starts_with("the rules say"),
            "only a block or no carer leaves nothing to offer: {}",
            other.why
        );
    }
    let visit = offer.choice.visit_id;
    let allocated = |store: &caredesk::Store| {
        support::texts(
            store,
            &format!("SELECT carer_id FROM visit_allocations WHERE visit_id = '{visit}' AND deleted_at IS NULL"),
        )
    };

    // Applied with the plan's proposals, whose visits make the short rest,
    // and no reason: the proposals are given, the warned one is not.
    let mut choices: Vec<AutoChoice> = plan.proposals.iter().map(|p| p.choice.clone()).collect();
    choices.push(offer.choice.clone());
    let without = apply_auto_plan(&mut store, &choices, "   ").unwrap();
    assert_eq!((without.given as usize, without.past_warnings), (plan.proposals.len(), 0), "{without:?}");
    assert!(
        without.skipped.len() == 1 && without.skipped[0].contains(rest),
        "skipped with the warning's words: {:?}",
        without.skipped
    );
    assert!(allocated(&store).is_empty(), "nothing given past a warning without a reason");

    let choice = [offer.choice.clone()];
    let applied = apply_auto_plan(&mut store, &choice, "Rest made up on Thursday, agreed with the carer").unwrap();
    assert_eq!((applied.given, applied.past_warnings), (1, 1), "{applied:?}");
    assert_eq!(allocated(&store), [offer.choice.carer_id.to_string()]);
    assert_eq!(
        support::texts(
            &store,
            &format!("SELECT rule || ': ' || reason FROM rule_overrides WHERE visit_id = '{visit}'")
        ),
        ["wtr_daily_rest: Rest made up on Thursday, agreed with the carer"],
        "the warning gone past is recorded with the reason"
    );
}

#[test]
fn offers_to_one_carer_say_what_giving_them_together_makes_and_are_given_so() {
    let mut store = small_demo_rolled_to("2026-03-03");
    let plan = auto_schedule(&store, date("2026-03-02"), 2, steps(400), &AtomicBool::new(false), &mut |_| {}).unwrap();
    let offers: Vec<_> = plan.left.iter().filter(|l| l.past_warning.is_some()).collect();
    let carer = |l: &caredesk::rota::auto::AutoLeft| l.past_warning.as_ref().unwrap().choice.carer_id;
    // Over these two days, a carer with a short rest on Monday night is
    // offered two Tuesday morning visits, each warned of alone.
    let (first, later) = offers
        .iter()
        .enumerate()
        .find_map(|(i, a)| offers[i + 1..].iter().find(|b| carer(b) == carer(a)).map(|b| (*a, *b)))
        .expect("two offers to one carer");
    assert!(later.why.starts_with("the rules say: "), "each says its own warning: {}", later.why);
    // Ticked, the first makes the later's short rest no worse.
    let chosen: Vec<AutoChoice> = plan.proposals.iter().map(|p| p.choice.clone()).collect();
    let offered: Vec<AutoChoice> = offers.iter().map(|l| l.past_warning.as_ref().unwrap().choice.clone()).collect();
    let [at_first, at_later] = [first, later].map(|l| offers.iter().position(|o| o.visit_id == l.visit_id).unwrap());
    let mut ticked = vec![false; offered.len()];
    ticked[at_first] = true;
    let words = offers_together(&store, &chosen, &offered, &ticked).unwrap();
    assert_eq!(words[at_first], None, "nothing is ticked above the first");
    assert_eq!(
        words[at_later].as_deref(),
        Some("given with the offers ticked above, nothing more is found against it"),
        "the later says what the first ticked makes of it"
    );

    // Given with the plan and a reason, as the words say: only the first
    // goes past a warning, and only its override is recorded.
    let [first, later] = [first, later].map(|l| l.past_warning.as_ref().unwrap().choice.clone());
    let mut choices: Vec<AutoChoice> = plan.proposals.iter().map(|p| p.choice.clone()).collect();
    choices.extend([first.clone(), later.clone()]);
    let applied = apply_auto_plan(&mut store, &choices, "Short rest agreed with the carer").unwrap();
    assert_eq!((applied.given as usize, applied.past_warnings), (plan.proposals.len() + 2, 1), "{applied:?}");
    let overrides = |visit: uuid::Uuid| {
        support::texts(&store, &format!("SELECT rule FROM rule_overrides WHERE visit_id = '{visit}'"))
    };
    assert_eq!(overrides(first.visit_id), ["wtr_daily_rest"]);
    assert!(overrides(later.visit_id).is_empty(), "the later one was given with nothing to go past");
}

#[test]
fn offers_that_each_go_over_a_carers_hours_say_the_hours_they_come_to_together() {
    // One carer contracted for an hour a week, and three clients' calls of
    // 45 minutes on her Monday: any one fits, the second and third go over.
    let (mut store, _) = support::store();
    let mut form = support::carer_form();
    form.contracted_hours = Some(1.0);
    caredesk::people::save_carer(&mut store, &form).unwrap();
    for (name, at) in [("Margaret", "07:30"), ("Albert", "09:30"), ("Joan", "11:30")] {
        let mut client = support::client_form();
        client.given_name = name.into();
        let client = caredesk::people::save_client(&mut store, &client).unwrap();
        let mut package = support::package_form(client);
        package.start_time = at.into();
        caredesk::people::save_package(&mut store, &package).unwrap();
    }
    caredesk::rota::roll_forward(&mut store, date("2026-03-02"), date("2026-03-02"), &mut |_| {}).unwrap();
    let plan = auto_schedule(&store, date("2026-03-02"), 1, steps(200), &AtomicBool::new(false), &mut |_| {}).unwrap();
    let given: Vec<&str> = plan.proposals.iter().map(|p| p.time.as_str()).collect();
    assert_eq!(given, ["07:30"], "the first call fits her hour");
    let whys: Vec<&str> = plan.left.iter().map(|l| l.why.as_str()).collect();
    let offers: Vec<&str> = plan.left.iter().filter(|l| l.past_warning.is_some()).map(|l| l.why.as_str()).collect();
    assert_eq!(offers.len(), 2, "the other two are offered to her for a warning alone: {whys:?}");
    let alone = "Sarah Evans works 1 h 30 min this week, over the contracted 1 h";
    assert!(offers.iter().all(|why| why.ends_with(alone)), "each with the first call alone: {offers:?}");
    let chosen: Vec<AutoChoice> = plan.proposals.iter().map(|p| p.choice.clone()).collect();
    let offered: Vec<AutoChoice> =
        plan.left.iter().filter_map(|l| l.past_warning.as_ref()).map(|p| p.choice.clone()).collect();
    let words = |ticked: [bool; 2]| offers_together(&store, &chosen, &offered, &ticked).unwrap();
    assert_eq!(
        words([true, false])[1].as_deref(),
        Some("with the offers ticked above given too: Sarah Evans works 2 h 15 min this week, over the contracted 1 h"),
        "the first offer ticked, the later counts all three calls"
    );
    assert_eq!(words([false, true]), [None, None], "nothing ticked above either: each says its own words alone");
    assert_eq!(words([false, false]), [None, None]);
}
