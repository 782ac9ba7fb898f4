//! Carers, clients and care packages: forms, validation, lists, detail pages.

use crate::support::{self, invalid_fields};
use caredesk::people::{self, ClientStatus, ListQuery, PreferenceInput, PreferenceKind, SkillInput};
use uuid::Uuid;

fn has(fields: &[(String, String)], field: &str, words: &str) -> bool {
    fields.iter().any(|(f, m)| f == field && m.contains(words))
}

#[test]
fn a_carer_form_with_several_mistakes_reports_each_beside_its_field() {
    let (mut store, _) = support::store();
    let mut form = support::carer_form();
    form.postcode = "SY99".into();
    form.started_on = "2025-01-10".into();
    form.left_on = "2024-12-31".into();
    form.skills.push(SkillInput { id: None, skill: "juggling".into(), expires_on: String::new() });
    form.home_lat = Some(-2.76); // latitude and longitude swapped
    form.max_hours = Some(20.0);
    let fields = invalid_fields(people::save_carer(&mut store, &form));
    assert!(has(&fields, "postcode", "is not a UK postcode"), "{fields:?}");
    assert!(has(&fields, "left_on", "cannot be before the start"), "{fields:?}");
    assert!(has(&fields, "skills[2].skill", "not a skill in the agency's catalogue"), "{fields:?}");
    assert!(has(&fields, "home_lat", "within the UK"), "{fields:?}");
    assert!(has(&fields, "max_hours", "cannot be less than contracted"), "{fields:?}");
    assert_eq!(support::count(&store, "SELECT count(*) FROM carers"), 0, "nothing saved");
}

#[test]
fn more_than_48_hours_a_week_needs_the_working_time_opt_out() {
    let (mut store, _) = support::store();
    let mut form = support::carer_form();
    form.max_hours = Some(55.0);
    let fields = invalid_fields(people::save_carer(&mut store, &form));
    assert!(has(&fields, "max_hours", "opt-out"), "{fields:?}");
    form.wtr_opt_out = true;
    assert!(people::save_carer(&mut store, &form).is_ok());
}

#[test]
fn postcodes_are_stored_in_royal_mail_form() {
    let (mut store, _) = support::store();
    let id = people::save_carer(&mut store, &support::carer_form()).unwrap();
    let detail = people::carer_detail(store.read(), id, store.today()).unwrap();
    assert_eq!(detail.carer.postcode, "SY3 7AB", "typed as \"sy3 7ab\"");
    assert_eq!(detail.carer.languages, vec!["English", "Welsh"]);
}

#[test]
fn the_carer_page_explains_certificates_that_have_expired_or_are_about_to() {
    let (mut store, _) = support::store();
    let mut form = support::carer_form();
    form.dbs_expires_on = "2026-02-01".into(); // a month before "today", 2 March 2026
    let id = people::save_carer(&mut store, &form).unwrap();
    let detail = people::carer_detail(store.read(), id, store.today()).unwrap();
    assert!(
        detail
            .alerts
            .iter()
            .any(|a| a.starts_with("DBS check expired on 1 Feb 2026") && a.contains("must not be allocated")),
        "{:?}",
        detail.alerts
    );
    let medication = detail.skills.iter().find(|s| s.skill.skill == "medication_l2").unwrap();
    assert_eq!(medication.state, "expiring", "expires 20 March, within 30 days");
    assert!(
        detail.alerts.iter().any(|a| a.contains("Medication administration (level 2)") && a.contains("20 Mar 2026")),
        "{:?}",
        detail.alerts
    );
}

#[test]
fn today_lists_a_carer_whose_dbs_renewal_is_due_with_the_date_in_words() {
    let (mut store, _) = support::store();
    let mut form = support::carer_form();
    form.dbs_expires_on = "2026-03-15".into(); // 13 days after "today", 2 March 2026
    let id = people::save_carer(&mut store, &form).unwrap();
    let overview = people::overview(store.read(), store.today()).unwrap();
    let reasons: Vec<&str> =
        overview.attention.iter().flat_map(|g| &g.items).filter(|a| a.id == id).map(|a| a.reason.as_str()).collect();
    assert_eq!(reasons, ["DBS check expires 15 Mar 2026"]);
}

#[test]
fn today_groups_what_needs_attention_by_kind_with_the_most_urgent_of_each_first() {
    use caredesk::people::AttentionKind;
    let (mut store, _) = support::store(); // today is 2 March 2026
    let mut due_later = support::carer_form();
    due_later.dbs_expires_on = "2026-03-20".into();
    let due_later = people::save_carer(&mut store, &due_later).unwrap();
    let mut lapsed = support::carer_form();
    lapsed.given_name = "Tom".into();
    lapsed.dbs_expires_on = "2026-02-20".into();
    let lapsed = people::save_carer(&mut store, &lapsed).unwrap();
    let away = |store: &mut caredesk::Store, from: &str, until: &str| {
        let mut form = support::client_form();
        form.status = Some(ClientStatus::InHospital);
        form.status_from = from.into();
        form.status_until = until.into();
        people::save_client(store, &form).unwrap()
    };
    let no_date = away(&mut store, "2026-02-10", "");
    let back_later = away(&mut store, "2026-02-20", "2026-03-12");
    let back_soon = away(&mut store, "2026-02-27", "2026-03-05");
    let at_home = people::save_client(&mut store, &support::client_form()).unwrap();

    let overview = people::overview(store.read(), store.today()).unwrap();
    let groups: Vec<(AttentionKind, &str, Vec<Uuid>)> =
        overview.attention.iter().map(|g| (g.kind, g.title.as_str(), g.items.iter().map(|a| a.id).collect())).collect();
    assert_eq!(
        groups,
        [
            (AttentionKind::Checks, "DBS and right to work", vec![lapsed, due_later]),
            (AttentionKind::ClientsAway, "Clients in hospital or suspended", vec![back_soon, back_later, no_date]),
            (AttentionKind::NeverAssessed, "Homes never assessed", vec![at_home]),
        ],
        "the expired check before the one still to come; the client back soonest first, the one with no date \
         last; no group for reviews, as none is due"
    );
    assert_eq!(overview.clients_without_risk_assessment, 1, "the tile counts the group's homes");
}

#[test]
fn a_group_of_what_needs_attention_lists_in_full_found_by_name_and_sorted_by_urgency_or_name() {
    use caredesk::people::{attention_group, AttentionKind, AttentionOrder};
    let (mut store, _) = support::store(); // today is 2 March 2026
    let away = |store: &mut caredesk::Store, name: &str, until: &str| {
        let mut form = support::client_form();
        (form.given_name, form.status, form.status_from, form.status_until) =
            (name.into(), Some(ClientStatus::InHospital), "2026-02-20".into(), until.into());
        people::save_client(store, &form).unwrap();
    };
    away(&mut store, "Albert", "2026-03-12");
    away(&mut store, "Winifred", "2026-03-05");
    away(&mut store, "Alice", "");
    let names = |search: &str, order: AttentionOrder| {
        let group = attention_group(store.read(), store.today(), AttentionKind::ClientsAway, search, order).unwrap();
        assert_eq!(group.title, "Clients in hospital or suspended");
        group.items.into_iter().map(|a| a.name).collect::<Vec<_>>()
    };
    assert_eq!(
        names("", AttentionOrder::Urgency),
        ["Winifred Onions", "Albert Onions", "Alice Onions"],
        "back soonest first, as Today shows them"
    );
    assert_eq!(names("", AttentionOrder::Name), ["Albert Onions", "Alice Onions", "Winifred Onions"]);
    assert_eq!(names(" al", AttentionOrder::Urgency), ["Albert Onions", "Alice Onions"], "by part of a name, any case");
    assert!(names("Zebedee", AttentionOrder::Name).is_empty(), "nobody of that name");
}

#[test]
fn an_excluded_carer_who_does_not_exist_is_refused() {
    let (mut store, _) = support::store();
    let mut form = support::client_form();
    form.carer_preferences.push(PreferenceInput {
        id: None,
        carer_id: Some(Uuid::now_v7()),
        kind: Some(PreferenceKind::Excluded),
        reason: "Complaint".into(),
    });
    let fields = invalid_fields(people::save_client(&mut store, &form));
    assert!(has(&fields, "carer_preferences[0].carer_id", "does not exist"), "{fields:?}");
}

#[test]
fn excluding_a_carer_needs_a_reason_and_a_carer_cannot_be_both_preferred_and_excluded() {
    let (mut store, _) = support::store();
    let carer = people::save_carer(&mut store, &support::carer_form()).unwrap();
    let mut form = support::client_form();
    form.carer_preferences.push(PreferenceInput {
        id: None,
        carer_id: Some(carer),
        kind: Some(PreferenceKind::Preferred),
        reason: String::new(),
    });
    form.carer_preferences.push(PreferenceInput {
        id: None,
        carer_id: Some(carer),
        kind: Some(PreferenceKind::Excluded),
        reason: String::new(),
    });
    let fields = invalid_fields(people::save_client(&mut store, &form));
    assert!(has(&fields, "carer_preferences[1].carer_id", "listed twice"), "{fields:?}");
    assert!(has(&fields, "carer_preferences[1].reason", "why"), "{fields:?}");
}

#[test]
fn a_client_in_hospital_needs_the_date_they_went_in() {
    let (mut store, _) = support::store();
    let mut form = support::client_form();
    form.status = Some(ClientStatus::InHospital);
    let fields = invalid_fields(people::save_client(&mut store, &form));
    assert!(has(&fields, "status_from", "in hospital"), "{fields:?}");
    form.status_from = "2026-02-27".into();
    form.status_until = "2026-02-20".into();
    let fields = invalid_fields(people::save_client(&mut store, &form));
    assert!(has(&fields, "status_until", "cannot be before"), "{fields:?}");
    form.status_until = "2026-03-09".into();
    let id = people::save_client(&mut store, &form).unwrap();
    let overview = people::overview(store.read(), store.today()).unwrap();
    assert_eq!(overview.clients_in_hospital, 1);
    assert!(
        overview
            .attention
            .iter()
            .flat_map(|g| &g.items)
            .any(|a| a.id == id && a.reason.contains("In hospital since 27 Feb 2026, expected back 9 Mar 2026")),
        "{:?}",
        overview.attention
    );
}

#[test]
fn a_care_package_with_an_end_before_its_start_an_unknown_skill_and_no_days_is_refused() {
    let (mut store, _) = support::store();
    let client = people::save_client(&mut store, &support::client_form()).unwrap();
    let mut form = support::package_form(client);
    form.ends_on = "2026-03-01".into();
    form.required_skills.push("astrology".into());
    form.weekdays.clear();
    form.start_time = "25:00".into();
    let fields = invalid_fields(people::save_package(&mut store, &form));
    assert!(has(&fields, "ends_on", "cannot be before"), "{fields:?}");
    assert!(has(&fields, "required_skills", "astrology"), "{fields:?}");
    assert!(has(&fields, "weekdays", "at least one day"), "{fields:?}");
    assert!(has(&fields, "start_time", "not a time"), "{fields:?}");
}

#[test]
fn a_time_critical_call_cannot_have_a_tolerance_over_an_hour_and_a_double_up_needs_two_carers_at_most() {
    let (mut store, _) = support::store();
    let client = people::save_client(&mut store, &support::client_form()).unwrap();
    let mut form = support::package_form(client);
    form.time_critical = true;
    form.flex_min = Some(90.0);
    form.carers_required = Some(3.0);
    let fields = invalid_fields(people::save_package(&mut store, &form));
    assert!(has(&fields, "flex_min", "between 0 and 60"), "{fields:?}");
    assert!(has(&fields, "carers_required", "between 1 and 2"), "{fields:?}");
}

#[test]
fn a_week_a_week_b_package_counts_half_its_visits_in_the_weekly_hours() {
    let (mut store, _) = support::store();
    let client = people::save_client(&mut store, &support::client_form()).unwrap();
    let mut form = support::package_form(client); // 3 days × 45 minutes = 2.25 h a week
    form.cycle_weeks = Some(2.0);
    form.cycle_week_list = vec![1];
    people::save_package(&mut store, &form).unwrap();
    let detail = people::client_detail(store.read(), client, store.today()).unwrap();
    assert_eq!(detail.weekly_hours, 1.13, "2.25 hours every other week");
    form.cycle_week_list = vec![3];
    let fields = invalid_fields(people::save_package(&mut store, &form));
    assert!(has(&fields, "cycle_week_list", "outside a 2-week cycle"), "{fields:?}");
}

#[test]
fn the_client_list_searches_every_word_and_sorts_by_the_chosen_column() {
    let (mut store, _) = support::store();
    for (given, family, postcode) in
        [("Margaret", "Onions", "SY3 7NR"), ("Arthur", "Beddoes", "SY1 2AB"), ("Joan", "Beddoes", "SY2 5XY")]
    {
        let mut form = support::client_form();
        form.given_name = given.into();
        form.family_name = family.into();
        form.postcode = postcode.into();
        people::save_client(&mut store, &form).unwrap();
    }
    let today = store.today();
    let names = |q: ListQuery| {
        people::list_clients(store.read(), &q, today).unwrap().into_iter().map(|r| r.name).collect::<Vec<_>>()
    };
    assert_eq!(names(ListQuery::default()), ["Beddoes, Arthur", "Beddoes, Joan", "Onions, Margaret"]);
    assert_eq!(names(ListQuery { search: "beddoes sy2".into(), ..ListQuery::default() }), ["Beddoes, Joan"]);
    assert_eq!(
        names(ListQuery { sort: "postcode".into(), descending: true, ..ListQuery::default() }),
        ["Onions, Margaret", "Beddoes, Joan", "Beddoes, Arthur"]
    );
    assert!(
        names(ListQuery { search: "100%".into(), ..ListQuery::default() }).is_empty(),
        "a typed % is not a wildcard"
    );
}

#[test]
fn a_carer_edited_through_the_form_round_trips_unchanged() {
    let (mut store, _) = support::store();
    let id = people::save_carer(&mut store, &support::carer_form()).unwrap();
    let form = people::carer_form(store.read(), Some(id), store.today()).unwrap();
    assert_eq!(form.postcode, "SY3 7AB");
    assert_eq!(form.availability[0].start_time, "07:00");
    let again = form.validate(&people::skill_codes(store.read()).unwrap()).unwrap();
    assert_eq!(
        people::carer_form(store.read(), Some(id), store.today()).unwrap(),
        caredesk::people::CarerInput::from(&again)
    );
}
