//! Lone-working risk assessments: versions that keep their history, forms
//! that report every problem, and each control as a rota rule that fires
//! with the assessment's name and a near miss that does not.

use crate::rules::{carer, client, one_visit, visit};
use crate::support;
use caredesk::people::Gender;
use caredesk::risk::assessments::{ControlInput, HazardCategory, HazardInput};
use caredesk::risk::{
    save_assessment, subject_risk, AssessmentInput, Band, ControlFacts, ControlKind, Enforcement, Subject,
};
use caredesk::rules::{RuleId, Severity};

fn with_control(kind: ControlKind, value: &str, enforcement: Enforcement) -> caredesk::rules::ClientFacts {
    let mut cl = client();
    cl.controls = vec![ControlFacts {
        kind,
        value: value.into(),
        enforcement,
        source: "the risk assessment of 1 Mar 2026 (version 1)".into(),
    }];
    cl
}

#[test]
fn a_home_needing_two_carers_blocks_a_one_carer_visit_and_names_the_assessment_but_not_a_double_up() {
    let cl = with_control(ControlKind::DoubleUp, "", Enforcement::Block);
    let found = one_visit(RuleId::RiskDoubleUp, carer(), cl.clone(), |cl, c| visit(cl, "2026-03-02 10:00", 30, &[c]));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].severity, Severity::Block);
    assert!(found[0].message.to_string().contains("needs two carers at every visit"), "{}", found[0].message);
    assert!(
        found[0].message.to_string().contains("the risk assessment of 1 Mar 2026 (version 1)"),
        "{}",
        found[0].message
    );
    let near = one_visit(RuleId::RiskDoubleUp, carer(), cl, |cl, c| {
        let mut v = visit(cl, "2026-03-02 10:00", 30, &[c]);
        v.carers_required = 2;
        v
    });
    assert!(near.is_empty(), "a visit planned for two carers keeps the control");
}

#[test]
fn a_visit_ending_after_the_assessed_time_warns_and_one_ending_on_it_does_not() {
    let cl = with_control(ControlKind::NoVisitsAfter, "19:00", Enforcement::Warn);
    let late = one_visit(RuleId::RiskLateVisit, carer(), cl.clone(), |cl, c| visit(cl, "2026-03-02 18:45", 30, &[c]));
    assert_eq!(late.len(), 1);
    assert_eq!(late[0].severity, Severity::Warn, "the assessment said warn");
    assert!(late[0].message.to_string().contains("ends at 19:15, after 19:00"), "{}", late[0].message);
    let on_time = one_visit(RuleId::RiskLateVisit, carer(), cl, |cl, c| visit(cl, "2026-03-02 18:30", 30, &[c]));
    assert!(on_time.is_empty());
}

#[test]
fn darkness_follows_the_seasons_at_the_home() {
    let cl = with_control(ControlKind::NoVisitsInDarkness, "", Enforcement::Block);
    let winter = one_visit(RuleId::RiskDarkness, carer(), cl.clone(), |cl, c| visit(cl, "2026-12-14 16:00", 30, &[c]));
    assert_eq!(winter.len(), 1, "a December 16:00 visit ends after sunset (about 15:55)");
    assert!(winter[0].message.to_string().contains("after sunset at 15:5"), "{}", winter[0].message);
    let summer = one_visit(RuleId::RiskDarkness, carer(), cl.clone(), |cl, c| visit(cl, "2026-06-15 16:00", 30, &[c]));
    assert!(summer.is_empty(), "the same time in June is in daylight");
    let early = one_visit(RuleId::RiskDarkness, carer(), cl.clone(), |cl, c| visit(cl, "2026-12-14 07:30", 30, &[c]));
    assert!(early[0].message.to_string().contains("before sunrise at 08:"), "{}", early[0].message);
    let march_morning = one_visit(RuleId::RiskDarkness, carer(), cl, |cl, c| visit(cl, "2026-03-30 07:30", 30, &[c]));
    assert!(march_morning.is_empty(), "after the clocks go forward, 07:30 is after sunrise (about 06:50 BST)");
}

#[test]
fn a_carer_of_the_other_gender_is_blocked_and_one_of_the_assessed_gender_is_not() {
    let cl = with_control(ControlKind::CarerGender, "female", Enforcement::Block);
    let mut man = carer();
    man.carer.gender = Gender::Male;
    let found = one_visit(RuleId::RiskCarerGender, man, cl.clone(), |cl, c| visit(cl, "2026-03-02 10:00", 30, &[c]));
    assert_eq!(found.len(), 1);
    assert!(found[0].message.to_string().contains("allows female carers only"), "{}", found[0].message);
    let mut woman = carer();
    woman.carer.gender = Gender::Female;
    assert!(one_visit(RuleId::RiskCarerGender, woman, cl, |cl, c| visit(cl, "2026-03-02 10:00", 30, &[c])).is_empty());
}

#[test]
fn a_carer_who_started_within_the_period_is_a_new_starter_and_one_a_day_longer_is_not() {
    let cl = with_control(ControlKind::NoNewStarters, "90", Enforcement::Block);
    let mut new = carer();
    new.carer.started_on = "2025-12-03".parse().unwrap(); // 89 days before 2 Mar
    let found = one_visit(RuleId::RiskNewStarter, new, cl.clone(), |cl, c| visit(cl, "2026-03-02 10:00", 30, &[c]));
    assert_eq!(found.len(), 1, "89 days in is still new");
    assert!(found[0].message.to_string().contains("started on 3 Dec 2025"), "{}", found[0].message);
    let mut settled = carer();
    settled.carer.started_on = "2025-12-02".parse().unwrap(); // 90 days before
    assert!(one_visit(RuleId::RiskNewStarter, settled, cl, |cl, c| visit(cl, "2026-03-02 10:00", 30, &[c])).is_empty());
}

#[test]
fn a_warning_control_does_not_stop_ranking_but_a_blocking_one_does() {
    use caredesk::rules::blocking_rule;
    let mut man = carer();
    man.carer.gender = Gender::Male;
    let blocks = with_control(ControlKind::CarerGender, "female", Enforcement::Block);
    let warns = with_control(ControlKind::CarerGender, "female", Enforcement::Warn);
    let v = visit(&blocks, "2026-03-02 10:00", 30, &[]);
    assert_eq!(blocking_rule(&v, &man, &blocks), Some(RuleId::RiskCarerGender));
    assert_eq!(blocking_rule(&v, &man, &warns), None);
}

fn hazard(description: &str, l: u8, s: u8, rl: u8, rs: u8) -> HazardInput {
    HazardInput {
        category: Some(HazardCategory::Aggression),
        description: description.into(),
        likelihood: Some(l),
        severity: Some(s),
        control_measures: "Two carers; leave if threatened".into(),
        residual_likelihood: Some(rl),
        residual_severity: Some(rs),
    }
}

#[test]
fn a_review_makes_a_new_version_and_the_old_one_stays_as_it_was() {
    let (mut store, _) = support::store();
    let client = caredesk::people::save_client(&mut store, &support::client_form()).unwrap();
    let first = AssessmentInput {
        subject: Some(Subject::Client(client)),
        assessed_on: "2026-03-01".into(),
        assessor: "Jo Coordinator".into(),
        next_review_on: "2026-09-01".into(),
        summary: "Son can be verbally aggressive in the evenings".into(),
        hazards: vec![hazard("Son shouts at carers", 4, 4, 2, 4)],
        controls: vec![ControlInput {
            kind: Some(ControlKind::DoubleUp),
            value: String::new(),
            enforcement: Some(Enforcement::Block),
        }],
    };
    let v1 = save_assessment(&mut store, &first).unwrap();
    let review = AssessmentInput {
        assessed_on: "2026-03-02".into(),
        hazards: vec![hazard("Son has moved out", 1, 4, 1, 4)],
        controls: vec![],
        ..first.clone()
    };
    save_assessment(&mut store, &review).unwrap();
    let risk = subject_risk(store.read(), &Subject::Client(client), "2026-03-02".parse().unwrap()).unwrap();
    let current = risk.current.as_ref().unwrap();
    assert_eq!((current.version, current.controls.len()), (2, 0));
    assert_eq!(risk.versions.len(), 2);
    let old = &risk.versions[1];
    assert_eq!((old.id, old.version), (v1, 1));
    assert_eq!(old.hazards[0].description, "Son shouts at carers");
    assert_eq!((old.hazards[0].score, old.hazards[0].band), (16, Band::High));
    assert_eq!((old.hazards[0].residual_score, old.residual_band), (8, Band::Medium));
    assert_eq!(old.controls[0].sentence, "Two carers at every visit (blocks)");
    assert_eq!(risk.review, "Review due by 1 Sep 2026");
    let changed =
        store.read().execute("UPDATE risk_assessments SET assessor = 'someone' WHERE id = ?1", [v1.to_string()]);
    assert!(changed.is_err(), "a version is never edited in place");
    let logged = support::count(&store, "SELECT count(*) FROM change_log WHERE entity LIKE 'risk_%'");
    assert_eq!(logged, 2 + 2 + 1, "two versions, two hazards and one control are in the change log");
}

#[test]
fn a_bad_assessment_reports_every_problem_and_saves_nothing() {
    let (mut store, _) = support::store();
    let client = caredesk::people::save_client(&mut store, &support::client_form()).unwrap();
    let bad = AssessmentInput {
        subject: Some(Subject::Client(client)),
        assessed_on: "2026-03-01".into(),
        assessor: " ".into(),
        next_review_on: "2026-02-01".into(),
        summary: String::new(),
        hazards: vec![HazardInput { likelihood: Some(6), ..hazard("", 1, 1, 1, 1) }],
        controls: vec![ControlInput {
            kind: Some(ControlKind::NoVisitsAfter),
            value: "teatime".into(),
            enforcement: None,
        }],
    };
    let fields = support::invalid_fields(save_assessment(&mut store, &bad));
    let names: Vec<&str> = fields.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        names,
        vec!["next_review_on", "assessor", "hazards[0].description", "hazards[0].likelihood", "controls[0].value"],
        "{fields:?}"
    );
    assert_eq!(support::count(&store, "SELECT count(*) FROM risk_assessments"), 0);
}

#[test]
fn an_allocation_against_a_blocking_control_is_refused_with_the_assessments_reason() {
    let mut store = crate::documents::agency_with_rota();
    let (visit_id, client_id): (String, String) = store
        .read()
        .query_row(
            "SELECT id, client_id FROM visits WHERE carers_required = 1 AND local_date = '2026-03-02'
             ORDER BY starts_at LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let visit: uuid::Uuid = visit_id.parse().unwrap();
    // Whoever the rota gave it to is taken off, to allocate afresh.
    let _ = caredesk::rota::unallocate(&mut store, visit, 1);
    let input = AssessmentInput {
        subject: Some(Subject::Client(client_id.parse().unwrap())),
        assessed_on: "2026-03-01".into(),
        assessor: "Jo Coordinator".into(),
        next_review_on: "2026-09-01".into(),
        summary: String::new(),
        hazards: vec![hazard("Dog not always shut away", 3, 3, 2, 3)],
        controls: vec![ControlInput { kind: Some(ControlKind::DoubleUp), value: String::new(), enforcement: None }],
    };
    // The demo assessed most homes already, so this may be a review.
    let version: i64 = store
        .read()
        .query_row("SELECT count(*) + 1 FROM risk_assessments WHERE client_id = ?1", [&client_id], |r| r.get(0))
        .unwrap();
    save_assessment(&mut store, &input).unwrap();
    let candidates = caredesk::rota::candidates(&store, visit).unwrap();
    let someone = candidates.first().expect("the agency has carers").carer_id;
    let refused = caredesk::rota::allocate(&mut store, visit, 1, someone, "").unwrap_err();
    assert!(refused.to_string().contains("needs two carers at every visit"), "{refused}");
    let source = format!("risk assessment of 1 Mar 2026 (version {version})");
    assert!(refused.to_string().contains(&source), "expected “{source}” in: {refused}");
}

#[test]
fn a_homes_controls_and_check_in_calls_are_on_the_run_sheet_and_the_handover() {
    use caredesk::documents::handover::Direction;
    let mut store = crate::documents::agency_with_rota();
    let (client, carer): (String, String) = store
        .read()
        .query_row(
            "SELECT v.client_id, a.carer_id FROM visits v JOIN visit_allocations a ON a.visit_id = v.id
             WHERE v.local_date = '2026-03-02' AND v.local_time >= '18:00' ORDER BY v.starts_at LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let input = AssessmentInput {
        subject: Some(Subject::Client(client.parse().unwrap())),
        assessed_on: "2026-03-01".into(),
        assessor: "Jo Coordinator".into(),
        next_review_on: "2026-09-01".into(),
        summary: String::new(),
        hazards: vec![hazard("Unlit path to the door", 3, 3, 2, 3)],
        controls: vec![
            ControlInput { kind: Some(ControlKind::CheckInRequired), value: String::new(), enforcement: None },
            ControlInput {
                kind: Some(ControlKind::NoVisitsAfter),
                value: "21:00".into(),
                enforcement: Some(Enforcement::Warn),
            },
        ],
    };
    save_assessment(&mut store, &input).unwrap();
    let doc = caredesk::documents::service::run_sheets_for(
        &store,
        "2026-03-02".parse().unwrap(),
        1,
        Some(carer.parse().unwrap()),
    )
    .unwrap();
    let lines: Vec<&String> = doc.parts[0].sections[0].entries.iter().flat_map(|e| &e.lines).collect();
    assert!(
        lines.iter().any(|l| *l
            == "Risk assessment: Check-in and check-out calls; No visits after a time: visits end by 21:00 (warns)"),
        "{lines:?}"
    );
    assert!(lines.iter().any(|l| l.starts_with("Ring the office or on call when you arrive")), "{lines:?}");
    let at = caredesk::documents::facts::parse_london_moment("2026-03-02 17:00").unwrap();
    let sheet = caredesk::documents::handovers::handover_sheet_at(&store, Direction::OfficeToOnCall, at).unwrap();
    let risky = sheet.parts[0].sections.iter().find(|s| s.heading == "Visits to homes with risk controls").unwrap();
    assert!(!risky.entries.is_empty(), "the client's evening visit is listed");
}

#[test]
fn today_lists_reviews_overdue_or_due_within_a_fortnight_and_homes_never_assessed() {
    let (mut store, clock) = support::store();
    let client = caredesk::people::save_client(&mut store, &support::client_form()).unwrap();
    let mut other = support::client_form();
    other.family_name = "Second".into();
    caredesk::people::save_client(&mut store, &other).unwrap();
    let overview = |store: &caredesk::Store| caredesk::people::overview(store.read(), store.today()).unwrap();
    assert_eq!(overview(&store).clients_without_risk_assessment, 2);
    let input = AssessmentInput {
        subject: Some(Subject::Client(client)),
        assessed_on: "2026-01-01".into(),
        assessor: "Jo Coordinator".into(),
        next_review_on: "2026-03-20".into(),
        summary: String::new(),
        hazards: vec![hazard("Steep steps", 2, 3, 1, 3)],
        controls: vec![],
    };
    save_assessment(&mut store, &input).unwrap();
    let today = overview(&store); // 2 March: the review is 18 days away
    assert_eq!((today.clients_without_risk_assessment, today.risk_reviews_due), (1, 0));
    let never: Vec<&str> = today
        .attention
        .iter()
        .flat_map(|g| &g.items)
        .filter(|a| a.reason == "No risk assessment of the home yet")
        .map(|a| a.href.as_str())
        .collect();
    assert_eq!(never.len(), 1, "the home never assessed is listed: {:?}", today.attention);
    assert_ne!(never[0], format!("clients/{client}"), "and it is the other client's");
    clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, 7, 9, 0, 0).unwrap());
    let soon = overview(&store);
    assert_eq!(soon.risk_reviews_due, 1, "13 days away is within the fortnight");
    assert!(
        soon.attention.iter().flat_map(|g| &g.items).any(|a| a.reason == "Risk assessment review due by 20 Mar 2026"),
        "{:?}",
        soon.attention
    );
    clock.set(chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, 21, 9, 0, 0).unwrap());
    let late = overview(&store);
    assert!(
        late.attention
            .iter()
            .flat_map(|g| &g.items)
            .any(|a| a.reason == "Risk assessment review overdue since 20 Mar 2026"),
        "{:?}",
        late.attention
    );
}

#[test]
fn an_agency_that_moves_its_bands_sees_its_hazards_banded_by_them() {
    use caredesk::risk::settings::{save_risk_settings, RiskSettings, RiskSettingsInput};
    let (mut store, _) = support::store();
    let client = caredesk::people::save_client(&mut store, &support::client_form()).unwrap();
    let input = AssessmentInput {
        subject: Some(Subject::Client(client)),
        assessed_on: "2026-03-01".into(),
        assessor: "Jo Coordinator".into(),
        next_review_on: "2026-09-01".into(),
        summary: String::new(),
        hazards: vec![hazard("Loose rug on the landing", 2, 4, 1, 4)],
        controls: vec![],
    };
    save_assessment(&mut store, &input).unwrap();
    let band = |store: &caredesk::Store| {
        subject_risk(store.read(), &Subject::Client(client), "2026-03-02".parse().unwrap())
            .unwrap()
            .current
            .unwrap()
            .hazards[0]
            .band
    };
    assert_eq!(band(&store), Band::Medium, "8 is Medium in the usual bands");
    let refused = save_risk_settings(
        &mut store,
        &RiskSettingsInput { medium_from: Some(9.0), high_from: Some(8.0), ..RiskSettings::default().into() },
    );
    assert!(refused.is_err(), "bands out of order are refused");
    save_risk_settings(
        &mut store,
        &RiskSettingsInput {
            medium_from: Some(4.0),
            high_from: Some(8.0),
            very_high_from: Some(15.0),
            ..RiskSettings::default().into()
        },
    )
    .unwrap();
    assert_eq!(band(&store), Band::High, "8 is High once High starts at 8");
}

#[test]
fn risk_settings_left_empty_fractional_or_out_of_bounds_are_each_named_and_nothing_is_saved() {
    use caredesk::risk::settings::{risk_settings, save_risk_settings, RiskSettings, RiskSettingsInput};
    let (mut store, _) = support::store();
    let typed = RiskSettingsInput {
        medium_from: None,
        high_from: Some(8.5),
        very_high_from: Some(30.0),
        grace_min: Some(0.0),
        step_min: None,
    };
    let fields = support::invalid_fields(save_risk_settings(&mut store, &typed));
    assert_eq!(
        fields,
        [
            ("medium_from".to_string(), "Enter the score where Medium starts".to_string()),
            ("high_from".to_string(), "Enter the score where High starts as a whole number".to_string()),
            ("very_high_from".to_string(), "The score where Very high starts must be between 2 and 25".to_string()),
            ("grace_min".to_string(), "The minutes a check-in call may be late must be between 1 and 120".to_string()),
            ("step_min".to_string(), "Enter the minutes each escalation step waits".to_string()),
        ],
        "each field says what is wrong; the bands' order is not judged from figures that are not scores"
    );
    assert_eq!(risk_settings(store.read()).unwrap(), RiskSettings::default(), "nothing was saved");
}
