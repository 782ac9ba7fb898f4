//! Days never rolled forward between days that were: a roll begun past the
//! day after the last one made leaves the days between with no visits,
//! though "made up to" reads the later day. Today, the board and the roll
//! forward page say so until the days are rolled.

use crate::support::{self, count};
use caredesk::people::{self, Weekday};
use caredesk::rota::{self, BoardFilters};
use caredesk::Store;
use chrono::NaiveDate;

fn d(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, day).unwrap()
}

fn roll(store: &mut Store, from: u32, to: u32) -> rota::RollSummary {
    rota::roll_forward(store, d(from), d(to), &mut |_| {}).unwrap()
}

/// A client called on every day, nothing rolled yet; the clock at 09:00 on
/// Monday 2 March.
fn agency_with_a_daily_call() -> Store {
    let (mut store, _) = support::store();
    let client = people::save_client(&mut store, &support::client_form()).unwrap();
    let mut form = support::package_form(client);
    form.weekdays = Weekday::ALL.to_vec();
    people::save_package(&mut store, &form).unwrap();
    store
}

/// The daily call rolled from Mon 2 to Sun 15 March, then from Mon 23 to
/// Sun 29 March: the week of the 16th was never rolled.
fn agency_with_a_week_not_rolled() -> Store {
    let mut store = agency_with_a_daily_call();
    roll(&mut store, 2, 15);
    roll(&mut store, 23, 29);
    store
}

#[test]
fn a_week_never_rolled_between_weeks_that_were_is_said_on_today_and_asks_for_a_roll() {
    let store = agency_with_a_week_not_rolled();
    let ahead = rota::made_ahead(store.read(), d(2)).unwrap();
    assert_eq!(ahead.until, Some(d(29)), "made up to the last day rolled");
    assert_eq!(
        ahead.said,
        "The care packages' visits are made up to Sun 29 Mar 2026, 27 days from today. \
         None are made for Mon 16 Mar to Sun 22 Mar 2026: roll those days forward."
    );
    assert_eq!((ahead.days_missing, ahead.short), (7, true), "27 days ahead, yet someone must roll");
    let later = rota::made_ahead(store.read(), d(19)).unwrap();
    assert_eq!(later.days_missing, 4, "on Thursday the 19th, the 19th to the 22nd are still to come");
    let overview = caredesk::people::overview::overview(store.read(), d(2)).unwrap();
    assert_eq!(overview.made_ahead.gaps, ahead.gaps, "the Today page's tile hears the same");
}

#[test]
fn the_board_of_a_week_never_rolled_says_so_and_its_neighbours_do_not() {
    let store = agency_with_a_week_not_rolled();
    let gap = rota::board_view(&store, d(16), 7, &BoardFilters::default()).unwrap();
    assert_eq!(gap.visits, 0);
    assert_eq!(
        gap.not_made.as_deref(),
        Some("No visits are made from the care packages for Mon 16 Mar to Sun 22 Mar 2026: they were never rolled forward.")
    );
    let sunday = rota::board_view(&store, d(22), 1, &BoardFilters::default()).unwrap();
    assert_eq!(
        sunday.not_made.as_deref(),
        Some("No visits are made from the care packages for Sun 22 Mar 2026: it was never rolled forward."),
        "a day's board names its own day only"
    );
    for monday in [9, 23] {
        let week = rota::board_view(&store, d(monday), 7, &BoardFilters::default()).unwrap();
        assert_eq!((week.visits, week.not_made), (7, None), "the week of the {monday}th was rolled");
    }
}

#[test]
fn rolling_the_missing_week_fills_it_records_the_roll_once_and_nothing_more_is_said() {
    let mut store = agency_with_a_week_not_rolled();
    let filled = roll(&mut store, 16, 22);
    assert_eq!(filled.created, 7, "a call for each day of the week");
    assert_eq!(count(&store, "SELECT count(*) FROM rolls"), 3, "recorded, though within the last day rolled");
    let ahead = rota::made_ahead(store.read(), d(2)).unwrap();
    assert_eq!((ahead.gaps.len(), ahead.short), (0, false));
    assert_eq!(ahead.said, "The care packages' visits are made up to Sun 29 Mar 2026, 27 days from today.");
    let week = rota::board_view(&store, d(16), 7, &BoardFilters::default()).unwrap();
    assert_eq!(week.not_made, None);

    let log = count(&store, "SELECT count(*) FROM change_log");
    roll(&mut store, 2, 29);
    assert_eq!(count(&store, "SELECT count(*) FROM change_log"), log, "every day was rolled: nothing is recorded");
}

#[test]
fn a_package_added_while_a_week_is_missing_makes_its_visits_around_that_week_not_in_it() {
    let mut store = agency_with_a_week_not_rolled();
    let mut form = support::client_form();
    form.given_name = "Albert".into();
    let albert = people::save_client(&mut store, &form).unwrap();
    let mut package = support::package_form(albert);
    package.weekdays = Weekday::ALL.to_vec();
    let followed = rota::follow::save_package(&mut store, &package).unwrap();
    assert_eq!(followed.visits.created, 20, "the 3rd to the 15th and the 23rd to the 29th: today's 07:30 has gone by");
    let in_gap = count(
        &store,
        &format!(
            "SELECT count(*) FROM visits WHERE client_id = '{albert}' AND local_date BETWEEN '2026-03-16' AND '2026-03-22'"
        ),
    );
    assert_eq!(in_gap, 0, "the week never rolled is left for a roll, which makes every client's at once");
}

/// Today is Monday 2 March; the agency's first roll began on the 16th.
#[test]
fn an_agencys_first_roll_begun_after_today_says_the_days_until_it_have_no_visits() {
    let mut store = agency_with_a_daily_call();
    roll(&mut store, 16, 22);
    let ahead = rota::made_ahead(store.read(), d(2)).unwrap();
    assert_eq!(
        ahead.said,
        "The care packages' visits are made up to Sun 22 Mar 2026, 20 days from today. \
         None are made for Mon 2 Mar to Sun 15 Mar 2026: roll those days forward."
    );
    let this_week = rota::board_view(&store, d(2), 7, &BoardFilters::default()).unwrap();
    assert_eq!(
        this_week.not_made.as_deref(),
        Some("No visits are made from the care packages for Mon 2 Mar to Sun 8 Mar 2026: they were never rolled forward.")
    );
    let last_week = rota::board_view(&store, d(2) - chrono::Duration::days(7), 7, &BoardFilters::default()).unwrap();
    assert_eq!(last_week.not_made, None, "days gone by before the agency's first roll are not judged");
}

/// A file rolled before rolls were recorded (schema 23) has its visits but
/// no record of their days: it is judged from its first recorded roll only.
#[test]
fn a_file_rolled_before_rolls_were_recorded_is_not_said_to_have_gaps_before_its_first_recorded_roll() {
    let mut store = agency_with_a_daily_call();
    roll(&mut store, 2, 15);
    store.read().execute("DELETE FROM rolls", []).unwrap();
    roll(&mut store, 16, 22);
    let ahead = rota::made_ahead(store.read(), d(2)).unwrap();
    assert_eq!((ahead.days_missing, ahead.short), (0, false), "{}", ahead.said);
}
