//! The agency's own travel figures: saved through the write path, checked
//! field by field, and used by the rules and the run sheets.

use crate::support::{self, count};
use caredesk::documents::service::run_sheets_for;
use caredesk::people::{self, PackageInput, Transport, Weekday};
use caredesk::rota::{self, allocate};
use caredesk::rules::RuleId;
use caredesk::travel::TravelSettings;
use caredesk::travel_settings::{save_travel_settings, travel_settings, TravelSettingsInput};
use caredesk::{Error, Store};
use chrono::NaiveDate;

fn monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

/// Sarah walks. On Monday 2 March she has Margaret Onions (Belle Vue Road)
/// 07:30–08:15, then Doris Pugh on Abbey Foregate at 08:30: 0.944 km by
/// road, 12 minutes at the usual 4.8 km/h, with 15 minutes to do it.
fn walking_morning() -> Store {
    let (mut store, _) = support::store();
    let mut sarah = support::carer_form();
    sarah.transport = Some(Transport::Foot);
    let sarah = people::save_carer(&mut store, &sarah).unwrap();
    let margaret = people::save_client(&mut store, &support::client_form()).unwrap();
    people::save_package(&mut store, &PackageInput { weekdays: vec![Weekday::Mon], ..support::package_form(margaret) })
        .unwrap();
    let mut doris = support::client_form();
    (doris.given_name, doris.family_name) = ("Doris".into(), "Pugh".into());
    (doris.address_line1, doris.lat, doris.lon) = ("2 Abbey Foregate".into(), Some(52.7063), Some(-2.7440));
    let doris = people::save_client(&mut store, &doris).unwrap();
    let second = PackageInput {
        weekdays: vec![Weekday::Mon],
        start_time: "08:30".into(),
        duration_min: Some(30.0),
        required_skills: vec![],
        ..support::package_form(doris)
    };
    people::save_package(&mut store, &second).unwrap();
    rota::roll_forward(&mut store, monday(), monday(), &mut |_| {}).unwrap();
    for visit in support::texts(&store, "SELECT id FROM visits ORDER BY starts_at") {
        let warnings = allocate(&mut store, visit.parse().unwrap(), 1, sarah, "").unwrap();
        assert!(warnings.is_empty(), "at the usual walking pace the morning fits: {warnings:?}");
    }
    store
}

fn travel_findings(store: &Store) -> Vec<String> {
    let week = rota::week::cached_week(store, monday()).unwrap();
    week.findings().iter().filter(|f| f.rule == RuleId::TravelTime).map(|f| f.message.to_string()).collect()
}

fn slower_walkers() -> TravelSettingsInput {
    TravelSettingsInput { foot_kmh: Some(3.0), ..TravelSettingsInput::from(&TravelSettings::default()) }
}

#[test]
fn an_agency_that_sets_a_slower_walking_pace_is_warned_of_a_walk_the_usual_pace_allows() {
    let mut store = walking_morning();
    assert_eq!(travel_findings(&store), Vec::<String>::new(), "12 minutes' walk fits a 15-minute gap");

    save_travel_settings(&mut store, &slower_walkers()).unwrap();

    // 0.944 km at 3 km/h is 18.9 minutes, rounded up to 19: more than the 15 there are.
    let findings = travel_findings(&store);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert!(findings[0].contains("needs about 19 min (on foot, 0.9 km)"), "{}", findings[0]);
    assert!(findings[0].ends_with("but has 15 min"), "{}", findings[0]);
}

#[test]
fn a_run_sheet_times_each_walk_at_the_agencys_own_pace() {
    let mut store = walking_morning();
    let walk = |store: &Store| {
        let sheets = run_sheets_for(store, monday(), 1, None).unwrap();
        let entries = &sheets.parts[0].sections[0].entries;
        entries[1].lines.iter().find(|l| l.starts_with("Travel:")).cloned().expect("a travel line")
    };
    assert!(walk(&store).starts_with("Travel: about 12 min"), "{}", walk(&store));
    save_travel_settings(&mut store, &slower_walkers()).unwrap();
    assert!(walk(&store).starts_with("Travel: about 19 min"), "{}", walk(&store));
}

#[test]
fn figures_left_empty_or_out_of_bounds_are_each_refused_and_nothing_is_saved() {
    let (mut store, _) = support::store();
    let log = count(&store, "SELECT count(*) FROM change_log");
    let typed = TravelSettingsInput {
        car_kmh: Some(320.0),
        foot_kmh: None,
        minimum_leg_min: Some(2.5),
        longest_from_home_min: Some(5.0),
        ..TravelSettingsInput::from(&TravelSettings::default())
    };
    let Err(Error::Invalid(errors)) = save_travel_settings(&mut store, &typed) else {
        panic!("expected the figures to be refused");
    };
    let said: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.message.as_str())).collect();
    assert_eq!(
        said,
        vec![
            ("car_kmh", "The speed by car (km/h) must be between 5 and 100"),
            ("foot_kmh", "Enter the speed on foot (km/h)"),
            ("minimum_leg_min", "Enter the shortest leg in minutes as a whole number"),
            ("longest_from_home_min", "The journey from home in minutes must be between 10 and 240"),
        ]
    );
    assert_eq!(count(&store, "SELECT count(*) FROM change_log"), log, "nothing written");
    assert_eq!(travel_settings(store.read()).unwrap(), TravelSettings::default());
}

#[test]
fn each_change_to_the_travel_settings_is_logged_with_what_it_was_before() {
    let (mut store, _) = support::store();
    save_travel_settings(&mut store, &slower_walkers()).unwrap();
    let rural = TravelSettingsInput { road_factor: Some(1.6), ..slower_walkers() };
    let saved = save_travel_settings(&mut store, &rural).unwrap();
    assert_eq!(saved, TravelSettings { road_factor: 1.6, foot_kmh: 3.0, ..TravelSettings::default() });
    assert_eq!(travel_settings(store.read()).unwrap(), saved, "read back as saved");
    let log = support::texts(
        &store,
        "SELECT op || ' ' || actor || ' ' || changes FROM change_log WHERE entity = 'travel_settings' ORDER BY seq",
    );
    assert_eq!(log.len(), 2, "{log:?}");
    assert!(log[0].starts_with("insert Jo Coordinator"), "{}", log[0]);
    assert!(log[1].starts_with("update Jo Coordinator"), "{}", log[1]);
    assert!(log[1].contains(r#""road_factor":{"before":1.3,"after":1.6}"#), "{}", log[1]);
    assert!(!log[1].contains("foot_kmh"), "an unchanged figure is not in the update: {}", log[1]);
}

#[test]
fn every_figure_at_either_end_of_what_the_form_allows_is_kept_by_the_database_too() {
    let (mut store, _) = support::store();
    let lowest = TravelSettingsInput {
        road_factor: Some(1.0),
        car_kmh: Some(5.0),
        foot_kmh: Some(1.0),
        bicycle_kmh: Some(4.0),
        public_transport_kmh: Some(3.0),
        minimum_leg_min: Some(0.0),
        longest_from_home_min: Some(10.0),
    };
    let highest = TravelSettingsInput {
        road_factor: Some(3.0),
        car_kmh: Some(100.0),
        foot_kmh: Some(10.0),
        bicycle_kmh: Some(40.0),
        public_transport_kmh: Some(60.0),
        minimum_leg_min: Some(60.0),
        longest_from_home_min: Some(240.0),
    };
    for bounds in [lowest, highest] {
        let saved = save_travel_settings(&mut store, &bounds).unwrap();
        assert_eq!(TravelSettingsInput::from(&travel_settings(store.read()).unwrap()), bounds);
        assert_eq!(TravelSettingsInput::from(&saved), bounds);
    }
}
