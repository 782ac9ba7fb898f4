//! Continuity of care: how many different carers each client sees.

use crate::support;
use caredesk::people::{self, PreferenceInput, PreferenceKind};
use caredesk::rota::{self, allocate, client_continuity, continuity_report};
use caredesk::rules::continuity;
use chrono::NaiveDate;
use uuid::Uuid;

#[test]
fn distinct_carers_count_each_face_once_and_both_carers_of_a_double_up() {
    let (a, b, c) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
    let summary = continuity(&[vec![a], vec![a], vec![b, c], vec![]], &[a]);
    assert_eq!(summary.visits, 4);
    assert_eq!(summary.unallocated, 1);
    assert_eq!(summary.distinct_carers, 3);
    // a made 2 of the 4 attendances.
    assert_eq!(summary.preferred_percent, Some(50));
    assert_eq!((summary.by_carer[0].carer_id, summary.by_carer[0].visits), (a, 2));
    assert!(summary.by_carer[0].preferred);
}

#[test]
fn a_client_with_no_preferred_carer_has_no_preferred_share() {
    let summary = continuity(&[vec![Uuid::from_u128(1)]], &[]);
    assert_eq!(summary.preferred_percent, None);
    assert_eq!(continuity(&[], &[Uuid::from_u128(1)]).preferred_percent, None, "no visits, no share");
}

#[test]
fn the_report_puts_the_client_seeing_most_carers_first_with_names() {
    let (mut store, _) = support::store();
    let sarah = people::save_carer(&mut store, &support::carer_form()).unwrap();
    let mut tom = support::carer_form();
    tom.given_name = "Tom".into();
    let tom = people::save_carer(&mut store, &tom).unwrap();
    let mut form = support::client_form();
    form.carer_preferences.push(PreferenceInput {
        id: None,
        carer_id: Some(sarah),
        kind: Some(PreferenceKind::Preferred),
        reason: "Knows her well".into(),
    });
    let margaret = people::save_client(&mut store, &form).unwrap();
    let mut other = support::client_form();
    other.given_name = "Albert".into();
    let albert = people::save_client(&mut store, &other).unwrap();
    people::save_package(&mut store, &support::package_form(margaret)).unwrap();
    let mut later = support::package_form(albert);
    later.start_time = "10:00".into();
    people::save_package(&mut store, &later).unwrap();
    let (from, to) = (NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), NaiveDate::from_ymd_opt(2026, 3, 8).unwrap());
    assert_eq!(
        rota::recent_period(from),
        (NaiveDate::from_ymd_opt(2026, 2, 3).unwrap(), NaiveDate::from_ymd_opt(2026, 3, 9).unwrap()),
        "a client's page looks four weeks back and one ahead"
    );
    rota::roll_forward(&mut store, from, to, &mut |_| {}).unwrap();
    let visits_of = |client: Uuid| -> Vec<Uuid> {
        let mut stmt = store.read().prepare("SELECT id FROM visits WHERE client_id = ?1 ORDER BY starts_at").unwrap();
        stmt.query_map([client.to_string()], |r| r.get::<_, String>(0))
            .unwrap()
            .map(|i| i.unwrap().parse().unwrap())
            .collect()
    };
    let (m, al) = (visits_of(margaret), visits_of(albert));
    for visit in &m {
        allocate(&mut store, *visit, 1, sarah, "cover").unwrap();
    }
    allocate(&mut store, al[0], 1, sarah, "cover").unwrap();
    allocate(&mut store, al[1], 1, tom, "cover").unwrap();

    let report = continuity_report(store.read(), from, to).unwrap();
    let order: Vec<(&str, u32)> = report.iter().map(|r| (r.client_name.as_str(), r.summary.distinct_carers)).collect();
    assert_eq!(order, [("Albert Onions", 2), ("Margaret Onions", 1)]);
    let margaret_row = client_continuity(store.read(), margaret, from, to).unwrap();
    assert_eq!(margaret_row.summary.preferred_percent, Some(100));
    assert_eq!(margaret_row.carers[0].name, "Sarah Evans");
    assert_eq!(report[0].summary.unallocated, 1, "Albert's Friday call has nobody yet");
}
