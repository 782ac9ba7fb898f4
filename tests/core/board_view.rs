//! The board a screenful at a time: every row the grid may scroll to, with
//! how its visits stack, and the visits of the rows in view when asked.

use crate::support;
use caredesk::people;
use caredesk::rota::{self, BoardFilters, BoardView, Go, PlacedVisit, Reached, Seek, Sought};
use caredesk::rules::{RuleId, Severity};
use caredesk::Store;
use chrono::NaiveDate;
use uuid::Uuid;

fn d(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, day).unwrap()
}

struct Agency {
    store: Store,
    sarah: Uuid,
    tom: Uuid,
}

/// Sarah Evans (SY3, medication trained) and Tom Price (SY1, no skills);
/// Margaret (SY3), Albert (SY1) and Joan (SY3) each with a 07:30 call on
/// Mon, Wed and Fri 2-6 March needing medication training. Monday's calls
/// for Margaret and Albert are both Sarah's, so they clash; Joan's waits.
fn agency() -> Agency {
    let (mut store, _) = support::store();
    let sarah = people::save_carer(&mut store, &support::carer_form()).unwrap();
    let mut form = support::carer_form();
    (form.given_name, form.family_name, form.postcode, form.skills) =
        ("Tom".into(), "Price".into(), "SY1 3AA".into(), vec![]);
    let tom = people::save_carer(&mut store, &form).unwrap();
    for (name, postcode) in [("Margaret", "SY3 7NR"), ("Albert", "SY1 2AB"), ("Joan", "SY3 9XY")] {
        let mut form = support::client_form();
        (form.given_name, form.postcode) = (name.into(), postcode.into());
        let client = people::save_client(&mut store, &form).unwrap();
        people::save_package(&mut store, &support::package_form(client)).unwrap();
    }
    rota::roll_forward(&mut store, d(2), d(8), &mut |_| {}).unwrap();
    let monday: Vec<(Uuid, Uuid)> = support::texts(
        &store,
        "SELECT v.id || ' ' || v.client_id FROM visits v JOIN clients c ON c.id = v.client_id
         WHERE v.local_date = '2026-03-02' AND c.given_name IN ('Margaret', 'Albert')",
    )
    .iter()
    .map(|pair| {
        let (visit, client) = pair.split_once(' ').unwrap();
        (visit.parse().unwrap(), client.parse().unwrap())
    })
    .collect();
    support::give_past_the_rules(&mut store, &monday, sarah);
    Agency { store, sarah, tom }
}

fn view(a: &Agency, days: u8, filters: BoardFilters) -> BoardView {
    rota::board_view(&a.store, d(2), days, &filters).unwrap()
}

fn rows(view: &BoardView) -> Vec<(String, u32)> {
    view.carers.iter().map(|r| (r.carer.name.clone(), r.rows)).collect()
}

#[test]
fn the_board_gives_every_row_with_how_its_visits_stack_and_the_same_totals_as_the_whole_board() {
    let a = agency();
    let whole = rota::board(&a.store, d(2), 1).unwrap();
    let monday = view(&a, 1, BoardFilters::default());
    assert_eq!(
        (monday.visits, monday.unallocated, monday.blocks, monday.warnings),
        (whole.visits.len() as u32, whole.unallocated, whole.blocks, whole.warnings),
        "the view's totals are the whole board's"
    );
    assert_eq!((monday.visits, monday.unallocated), (3, 1));
    assert!(monday.blocks >= 2, "the clash is counted on both visits: {}", monday.blocks);
    assert_eq!(rows(&monday), [("Sarah Evans".into(), 2), ("Tom Price".into(), 1)], "Sarah's two calls at 07:30 stack");
    assert_eq!((monday.queue.visits, monday.queue.rows), (1, 1));
    assert_eq!(monday.areas, ["SY1", "SY3"]);
    assert_eq!(monday.days, [d(2)]);
}

#[test]
fn the_visits_of_the_rows_in_view_come_in_their_rows_with_who_they_are_for_and_why_a_rule_fired() {
    let a = agency();
    let part = rota::board_part(&a.store, d(2), 1, &BoardFilters::default(), &[a.sarah], 0..4).unwrap();
    assert_eq!(part.carers.len(), 1, "only the carer asked for");
    let sarah = &part.carers[0];
    assert_eq!(sarah.carer_id, a.sarah);
    let mut placed: Vec<(u32, String)> = sarah.placed.iter().map(|p| (p.row, p.client.name.to_string())).collect();
    placed.sort();
    assert_eq!(placed.iter().map(|p| p.0).collect::<Vec<_>>(), [0, 1], "one call on each row: {placed:?}");
    for p in &sarah.placed {
        assert!(p.visit.findings.iter().any(|f| f.rule == RuleId::Overlap), "the clash is on {}", p.client.name);
        assert_eq!(&*p.visit.local_start, "07:30");
    }
    let queue: Vec<&str> = part.queue.iter().map(|p| &*p.client.name).collect();
    assert_eq!(queue, ["Joan Onions"], "the waiting call, with its client");
    assert!(part.queue[0].visit.needs_carer);

    let tom = rota::board_part(&a.store, d(2), 1, &BoardFilters::default(), &[a.tom], 1..4).unwrap();
    assert!(tom.carers[0].placed.is_empty(), "Tom has no visits");
    assert!(tom.queue.is_empty(), "the queue has one row, row 0, which was not asked for");
}

#[test]
fn a_weeks_unallocated_lane_is_sent_a_few_rows_at_a_time() {
    let a = agency();
    let week = view(&a, 7, BoardFilters::default());
    // Joan's Monday call, then all three calls on Wednesday and on Friday.
    assert_eq!((week.queue.visits, week.queue.rows), (7, 3));
    let first = rota::board_part(&a.store, d(4), 7, &BoardFilters::default(), &[], 0..1).unwrap();
    let days: Vec<u8> = first.queue.iter().map(|p| p.visit.day).collect();
    assert_eq!(days, [0, 2, 4], "row 0 holds one call a day, earliest first");
    assert!(first.queue.iter().all(|p| p.row == 0));
    let rest = rota::board_part(&a.store, d(4), 7, &BoardFilters::default(), &[], 1..3).unwrap();
    assert_eq!(rest.queue.len(), 4, "the second and third rows: two calls each on Wednesday and Friday");
}

#[test]
fn the_filters_keep_carers_by_name_skill_area_and_problems_and_the_waiting_visits_by_skill_and_area() {
    let a = agency();
    let by = |filters: BoardFilters| {
        let v = view(&a, 1, filters);
        (v.carers.iter().map(|r| r.carer.name.clone()).collect::<Vec<_>>(), v.queue.visits)
    };
    let filters = |area: &str, skill: &str, carer: &str, problems_only: bool| BoardFilters {
        area: area.into(),
        skill: skill.into(),
        carer: carer.into(),
        problems_only,
    };
    assert_eq!(
        by(filters("", "", " tOm ", false)),
        (vec!["Tom Price".to_string()], 1),
        "by part of a name, in any case"
    );
    assert_eq!(by(filters("", "medication_l2", "", false)), (vec!["Sarah Evans".to_string()], 1));
    assert_eq!(by(filters("", "peg", "", false)), (vec![], 0), "nobody holds it and no waiting call needs it");
    // Sarah lives in SY3 but has Albert's call in SY1; Joan's waiting call is in SY3.
    assert_eq!(by(filters("SY1", "", "", false)), (vec!["Sarah Evans".to_string(), "Tom Price".to_string()], 0));
    assert_eq!(by(filters("SY3", "", "", false)), (vec!["Sarah Evans".to_string()], 1));
    assert_eq!(by(filters("", "", "", true)), (vec!["Sarah Evans".to_string()], 1), "only Sarah has a finding");
    let tom_only = rota::board_part(&a.store, d(2), 1, &filters("", "", "tom", false), &[a.sarah], 0..0).unwrap();
    assert!(tom_only.carers.is_empty(), "a row the filters leave out is not sent");
}

#[test]
fn the_chosen_visit_is_read_again_with_its_findings_and_only_on_its_board() {
    let a = agency();
    let part = rota::board_part(&a.store, d(2), 1, &BoardFilters::default(), &[a.sarah], 0..0).unwrap();
    let chosen = &part.carers[0].placed[0];
    let again = rota::board_visit(&a.store, d(2), 1, chosen.visit.id).unwrap().expect("on Monday's board");
    assert_eq!((again.visit.id, &again.client.name), (chosen.visit.id, &chosen.client.name));
    assert_eq!(again.visit.findings.len(), chosen.visit.findings.len());
    assert!(rota::board_visit(&a.store, d(3), 1, chosen.visit.id).unwrap().is_none(), "not on Tuesday's board");
    assert!(rota::board_visit(&a.store, d(2), 7, chosen.visit.id).unwrap().is_some(), "on its week's board");
}

#[test]
fn a_screenful_asked_for_after_a_change_shows_the_change_though_the_board_was_laid_out_before_it() {
    let mut a = agency();
    let sarah_before = rota::board_part(&a.store, d(2), 1, &BoardFilters::default(), &[a.sarah], 0..4).unwrap();
    assert_eq!(sarah_before.carers[0].placed.len(), 2, "Sarah's two Monday calls, laid out");
    assert_eq!(view(&a, 1, BoardFilters::default()).queue.visits, 1, "Joan's call waits");
    let margaret = sarah_before.carers[0].placed.iter().find(|p| p.client.name.starts_with("Margaret")).unwrap();
    rota::unallocate(&mut a.store, margaret.visit.id, 1).unwrap();

    let monday = view(&a, 1, BoardFilters::default());
    assert_eq!((monday.queue.visits, monday.queue.rows), (2, 2), "Margaret's call waits beside Joan's");
    assert_eq!(rows(&monday)[0], ("Sarah Evans".into(), 1), "Sarah's row no longer stacks two calls");
    let after = rota::board_part(&a.store, d(2), 1, &BoardFilters::default(), &[a.sarah], 0..4).unwrap();
    let sarahs: Vec<&str> = after.carers[0].placed.iter().map(|p| &*p.client.name).collect();
    assert_eq!(sarahs, ["Albert Onions"], "only Albert's call is left on Sarah's row");
    let mut waiting: Vec<&str> = after.queue.iter().map(|p| &*p.client.name).collect();
    waiting.sort_unstable();
    assert_eq!(waiting, ["Joan Onions", "Margaret Onions"]);
}

/// A board whose days run past the last day rolled forward (Sunday 8 March
/// here) says so; one ending on it does not, though the packages call for no
/// visit at the weekend and Friday 6 March is the last day with one.
#[test]
fn a_board_past_the_last_day_rolled_says_where_the_visits_end() {
    let a = agency();
    let week = view(&a, 7, BoardFilters::default());
    assert_eq!(week.not_made, None, "the week's weekend was rolled, with nothing to make");
    let next_monday = rota::board_view(&a.store, d(9), 1, &BoardFilters::default()).unwrap();
    assert_eq!(next_monday.visits, 0);
    assert_eq!(
        next_monday.not_made.as_deref(),
        Some("The care packages' visits are made only up to Sun 8 Mar 2026: the days after it have none yet.")
    );
}

fn seek(a: &Agency, days: u8, filters: &BoardFilters, kind: Seek, after: Option<&Sought>) -> Option<Sought> {
    // After the visit shown, or after the carer whose week was shown.
    let after = after.map(|s| s.placed.as_ref().map_or_else(|| s.lane.unwrap(), |p| p.visit.id));
    rota::board_seek(&a.store, d(2), days, filters, kind, after).unwrap()
}

fn visit(sought: &Sought) -> &PlacedVisit {
    sought.placed.as_ref().expect("a visit, not a carer's week")
}

/// At 09:00 on Monday the week's seven waiting calls (Joan's on Monday, all
/// three on Wednesday and on Friday, each at 07:30) are stepped through from
/// Wednesday's, the next after each, and round to Monday's at the end.
#[test]
fn the_next_visit_waiting_for_a_carer_is_the_first_from_now_and_each_step_goes_on_round_the_week() {
    let a = agency();
    let all = BoardFilters::default();
    let mut at = seek(&a, 7, &all, Seek::Waiting, None).expect("visits wait");
    assert_eq!(at.lane, None, "a waiting visit is found in the unallocated lane");
    let mut steps = vec![(at.place, at.of, visit(&at).visit.day)];
    let mut ids = vec![visit(&at).visit.id];
    for _ in 0..7 {
        at = seek(&a, 7, &all, Seek::Waiting, Some(&at)).unwrap();
        steps.push((at.place, at.of, visit(&at).visit.day));
        ids.push(visit(&at).visit.id);
    }
    assert_eq!(
        steps,
        [(2, 7, 2), (3, 7, 2), (4, 7, 2), (5, 7, 4), (6, 7, 4), (7, 7, 4), (1, 7, 0), (2, 7, 2)],
        "Monday's call is past at 09:00, so Wednesday's come first; after Friday's last, Monday's"
    );
    assert_eq!(ids[7], ids[0], "eight steps round seven visits come back to the first");
    assert_eq!(ids[..7].iter().collect::<std::collections::HashSet<_>>().len(), 7, "each visit once on the way");
    assert!(visit(&at).visit.needs_carer);

    // Where it is found is where the grid draws it.
    let row = visit(&at).row;
    let part = rota::board_part(&a.store, d(2), 7, &all, &[], row..row + 1).unwrap();
    let drawn = part.queue.iter().find(|p| p.visit.id == visit(&at).visit.id).expect("on the row the grid is told");
    assert_eq!(drawn.visit.at_min, visit(&at).visit.at_min, "at the minute the grid is told to scroll to");
}

#[test]
fn the_next_broken_rule_is_found_on_the_carers_row_and_the_filters_narrow_what_is_stepped_through() {
    let a = agency();
    let all = BoardFilters::default();
    let first = seek(&a, 1, &all, Seek::Block, None).expect("Sarah's two Monday calls clash");
    assert_eq!(
        (first.place, first.of, first.lane),
        (1, 2, Some(a.sarah)),
        "both are past at 09:00: round to the first"
    );
    assert!(visit(&first).visit.findings.iter().any(|f| f.rule == RuleId::Overlap), "it carries why");
    let second = seek(&a, 1, &all, Seek::Block, Some(&first)).unwrap();
    assert_eq!((second.place, second.lane), (2, Some(a.sarah)));
    assert_ne!(visit(&second).visit.id, visit(&first).visit.id, "the other call of the clash");
    assert_ne!(visit(&second).row, visit(&first).row, "drawn on Sarah's second row");
    assert_eq!(
        (second.place_to, second.of),
        (view(&a, 1, all.clone()).blocks, view(&a, 1, all.clone()).blocks),
        "the last place is the count of broken rules the summary line gives"
    );
    let round = seek(&a, 1, &all, Seek::Block, Some(&second)).unwrap();
    assert_eq!(visit(&round).visit.id, visit(&first).visit.id);

    assert_eq!(view(&a, 1, all.clone()).warnings, 0);
    assert!(seek(&a, 1, &all, Seek::Warn, None).is_none(), "nothing warns on Monday, so there is no next");

    let sy1 = BoardFilters { area: "SY1".into(), ..BoardFilters::default() };
    let albert = seek(&a, 7, &sy1, Seek::Waiting, None).expect("Albert's calls wait on Wednesday and Friday");
    assert_eq!((albert.place, albert.of), (1, 2), "only the waiting calls in SY1");
    assert!(visit(&albert).client.name.starts_with("Albert"));
}

/// With Sarah contracted for half an hour a week, her two Monday calls put
/// her over: a warning about her week, not about a visit. Stepping through
/// the warnings reaches her row, with what the rule says, and goes round.
#[test]
fn a_rule_about_a_carers_week_is_stepped_to_on_their_row_with_what_it_says() {
    let mut a = agency();
    let today = d(2);
    let mut form = people::carer_form(a.store.read(), Some(a.sarah), today).unwrap();
    form.contracted_hours = Some(0.5);
    people::save_carer(&mut a.store, &form).unwrap();
    let all = BoardFilters::default();
    let board = view(&a, 7, all.clone());
    assert_eq!(board.warnings, 1, "Sarah's week is over her hours, and nothing else warns");

    let sarahs_week = seek(&a, 7, &all, Seek::Warn, None).expect("a warning to step to");
    assert!(sarahs_week.placed.is_none(), "the stop is Sarah's row, not a visit");
    assert_eq!((sarahs_week.lane, sarahs_week.place, sarahs_week.of), (Some(a.sarah), 1, 1));
    let said: Vec<(RuleId, Severity, String)> =
        sarahs_week.about_week.iter().map(|f| (f.rule, f.severity, f.message.to_string())).collect();
    assert_eq!(
        said,
        [(
            RuleId::ContractedHours,
            Severity::Warn,
            "Sarah Evans works 1 h 30 min this week, over the contracted 30 min".to_string()
        )],
        "what the rule says comes with it"
    );
    let again = seek(&a, 7, &all, Seek::Warn, Some(&sarahs_week)).unwrap();
    assert_eq!((again.lane, again.place), (Some(a.sarah), 1), "the only warning: stepping on comes back to it");
    let blocks = seek(&a, 7, &all, Seek::Block, None).unwrap();
    assert!(blocks.placed.is_some(), "her week breaks no blocking rule, so the blocks are her visits' alone");

    let last = seek(&a, 7, &all, Seek::Block, Some(&blocks)).unwrap();
    assert_eq!((last.place, last.of), (2, 2), "the clash's two calls, and no stop for her week");
}

fn near(a: &Agency, go: Go) -> Option<Reached> {
    rota::board_near(&a.store, d(2), 7, &BoardFilters::default(), go).unwrap()
}

/// From the keyboard, along the unallocated lane: Monday's waiting call,
/// then Wednesday's three and Friday's three by time, each on the row the
/// grid draws it on (a few of that lane's rows are drawn at a time), and
/// nothing past either end.
#[test]
fn the_keyboard_goes_along_a_lane_by_time_to_its_end_drawn_or_not() {
    let a = agency();
    let first = near(&a, Go::End { lane: -1, last: false }).expect("visits wait");
    assert_eq!((first.lane, first.carer, first.placed.visit.day), (-1, None, 0), "Monday's call comes first");
    assert!(
        near(&a, Go::Along { lane: -1, visit: first.placed.visit.id, later: false }).is_none(),
        "nothing before the first"
    );
    let mut at = first;
    let mut went = vec![(at.placed.visit.day, at.placed.row)];
    while let Some(next) = near(&a, Go::Along { lane: -1, visit: at.placed.visit.id, later: true }) {
        went.push((next.placed.visit.day, next.placed.row));
        at = next;
        assert!(went.len() <= 7, "the lane has seven calls: {went:?}");
    }
    assert_eq!(
        went,
        [(0, 0), (2, 0), (2, 1), (2, 2), (4, 0), (4, 1), (4, 2)],
        "by day, then down Wednesday's and Friday's rows"
    );
    let last = near(&a, Go::End { lane: -1, last: true }).unwrap();
    assert_eq!(last.placed.visit.id, at.placed.visit.id, "End goes to the last, as stepping along did");

    let back = near(&a, Go::Along { lane: -1, visit: at.placed.visit.id, later: false }).unwrap();
    assert_eq!((back.placed.visit.day, back.placed.row), (4, 1));
    let row = back.placed.row;
    let part = rota::board_part(&a.store, d(2), 7, &BoardFilters::default(), &[], row..row + 1).unwrap();
    assert!(part.queue.iter().any(|p| p.visit.id == back.placed.visit.id), "on the row the grid is told");
}

/// Up and down go to the next lane that has a visit, past rows with none
/// (Tom has no visits this week), to its visit nearest in time.
#[test]
fn up_and_down_go_past_empty_rows_to_the_nearest_visit_in_time() {
    let a = agency();
    let board = view(&a, 7, BoardFilters::default());
    let lane_of = |id: Uuid| board.carers.iter().position(|r| r.carer.carer_id == id).unwrap() as i32;
    let (sarah, tom) = (lane_of(a.sarah), lane_of(a.tom));
    let friday = 4 * 24 * 60 + 7 * 60 + 45;
    let down = near(&a, Go::Across { from: 0, down: true, minute: friday })
        .expect("Sarah's row is below the unallocated lane");
    assert_eq!((down.lane, down.carer), (sarah, Some(a.sarah)), "Tom's empty row is passed over");
    assert_eq!(down.placed.visit.day, 0, "her Monday calls are her only ones, however far in time");
    let away_from_sarah = near(&a, Go::Across { from: tom, down: tom > sarah, minute: friday });
    assert!(away_from_sarah.is_none(), "only Tom's empty row that way: {:?}", away_from_sarah.map(|r| r.lane));
    let towards = near(&a, Go::Across { from: tom, down: tom < sarah, minute: friday }).unwrap();
    assert_eq!(towards.carer, Some(a.sarah));
    let up = near(&a, Go::Across { from: sarah - 1, down: false, minute: 3 * 24 * 60 }).unwrap();
    assert_eq!(
        (up.lane, up.placed.visit.day),
        (-1, 2),
        "up to the unallocated lane, Wednesday's call nearest Thursday's midnight"
    );

    // Along Sarah's lane: her two Monday calls clash, drawn on two rows.
    let second = near(&a, Go::Along { lane: sarah, visit: down.placed.visit.id, later: true }).expect("her other call");
    assert_ne!(second.placed.row, down.placed.row, "the clashing call on her second row");
    assert!(near(&a, Go::Along { lane: sarah, visit: second.placed.visit.id, later: true }).is_none());
}
