//! Risk assessments of a carer and of an activity: their controls reach the
//! carer's visits wherever they are, and every visit that needs the skill;
//! controls that mean nothing for the subject are refused; their reviews
//! come due on the dashboard like a home's.

use crate::rules::{carer, client, one_visit, visit};
use crate::support;
use caredesk::risk::assessments::{ControlInput, HazardCategory, HazardInput};
use caredesk::risk::{save_assessment, subject_risk, AssessmentInput, ControlFacts, ControlKind, Enforcement, Subject};
use caredesk::rules::{RuleId, Severity};
use std::collections::HashSet;
use uuid::Uuid;

fn control(kind: ControlKind, value: &str, enforcement: Enforcement) -> ControlInput {
    ControlInput { kind: Some(kind), value: value.into(), enforcement: Some(enforcement) }
}

fn assessment(subject: Subject, hazard: &str, controls: Vec<ControlInput>) -> AssessmentInput {
    AssessmentInput {
        subject: Some(subject),
        assessed_on: "2026-03-01".into(),
        assessor: "Jo Coordinator".into(),
        next_review_on: "2026-03-10".into(),
        summary: String::new(),
        hazards: vec![HazardInput {
            category: Some(HazardCategory::WorkerHealth),
            description: hazard.into(),
            likelihood: Some(3),
            severity: Some(4),
            control_measures: "Agreed with the carer and their GP".into(),
            residual_likelihood: Some(2),
            residual_severity: Some(3),
        }],
        controls,
    }
}

#[test]
fn a_carers_own_assessment_keeps_them_out_of_the_dark_at_every_home_and_says_whose_it_is() {
    let mut c = carer();
    c.controls = vec![ControlFacts {
        kind: ControlKind::NoVisitsInDarkness,
        value: String::new(),
        enforcement: Enforcement::Block,
        source: "Sarah Evans's own risk assessment of 1 Mar 2026 (version 1)".into(),
    }];
    let winter = one_visit(RuleId::RiskDarkness, c.clone(), client(), |cl, c| visit(cl, "2026-12-14 16:30", 30, &[c]));
    assert_eq!(winter.len(), 1, "a December 16:30 visit is after sunset");
    assert_eq!(winter[0].severity, Severity::Block);
    assert!(winter[0].message.to_string().contains("Sarah Evans's own risk assessment"), "{}", winter[0].message);
    let summer = one_visit(RuleId::RiskDarkness, c, client(), |cl, c| visit(cl, "2026-06-15 16:30", 30, &[c]));
    assert!(summer.is_empty(), "the same visit in June is in daylight");
    let other = one_visit(RuleId::RiskDarkness, carer(), client(), |cl, c| visit(cl, "2026-12-14 16:30", 30, &[c]));
    assert!(other.is_empty(), "another carer is not bound by Sarah's assessment");
}

#[test]
fn an_activity_needing_two_carers_flags_a_one_carer_visit_that_needs_it_but_not_a_double_up() {
    let source = "the risk assessment of the activity “Moving and handling with hoist” of 1 Mar 2026 (version 1)";
    let with_activity = |cl: &caredesk::rules::ClientFacts, c: &caredesk::rules::CarerFacts, required: u8| {
        let mut v = visit(cl, "2026-03-02 10:00", 45, &[c]);
        v.carers_required = required;
        v.controls = [ControlFacts {
            kind: ControlKind::DoubleUp,
            value: String::new(),
            enforcement: Enforcement::Warn,
            source: source.into(),
        }]
        .into();
        v
    };
    let alone = one_visit(RuleId::RiskDoubleUp, carer(), client(), |cl, c| with_activity(cl, c, 1));
    assert_eq!(alone.len(), 1);
    assert_eq!(alone[0].severity, Severity::Warn, "the assessment said warn");
    assert!(alone[0].message.to_string().contains(source), "{}", alone[0].message);
    let pair = one_visit(RuleId::RiskDoubleUp, carer(), client(), |cl, c| with_activity(cl, c, 2));
    assert!(pair.is_empty());
}

/// The demo agency with the rota, its hoist activity assessed: no hoist
/// visit after 07:00 (a warning).
fn agency_with_late_hoist_control() -> caredesk::Store {
    let mut store = crate::documents::agency_with_rota();
    let input = assessment(
        Subject::Activity("hoist".into()),
        "Hoist transfers late in the day when carers are tired",
        vec![control(ControlKind::NoVisitsAfter, "07:00", Enforcement::Warn)],
    );
    save_assessment(&mut store, &input).unwrap();
    store
}

#[test]
fn an_activitys_control_reaches_every_visit_that_needs_the_skill_and_no_other() {
    let store = agency_with_late_hoist_control();
    let mut stmt = store
        .read()
        .prepare(
            "SELECT v.id FROM visits v WHERE v.deleted_at IS NULL AND v.status = 'planned'
               AND v.local_date = '2026-03-02' AND v.required_skills LIKE '%\"hoist\"%'
               AND EXISTS (SELECT 1 FROM visit_allocations a WHERE a.visit_id = v.id AND a.deleted_at IS NULL)",
        )
        .unwrap();
    let hoist: HashSet<Uuid> =
        stmt.query_map([], |r| r.get::<_, String>(0)).unwrap().map(|id| id.unwrap().parse().unwrap()).collect();
    assert!(!hoist.is_empty(), "the demo agency has allocated hoist visits on Monday");
    let week = caredesk::rota::week::cached_week(&store, "2026-03-02".parse().unwrap()).unwrap();
    let flagged: HashSet<Uuid> = week
        .findings()
        .iter()
        .filter(|f| f.rule == RuleId::RiskLateVisit)
        .flat_map(|f| f.visit_ids.iter().copied())
        .filter(|id| week.visits().any(|v| v.facts.id == *id && v.facts.date.to_string() == "2026-03-02"))
        .collect();
    assert_eq!(flagged, hoist, "every allocated hoist visit on Monday ends after 07:00, and only those are flagged");
}

#[test]
fn a_week_holds_an_activitys_controls_once_for_all_its_visits_that_need_the_same_skills() {
    let store = agency_with_late_hoist_control();
    let week = caredesk::rota::week::cached_week(&store, "2026-03-02".parse().unwrap()).unwrap();
    let (hoist, other): (Vec<_>, Vec<_>) =
        week.facts.visits.iter().partition(|v| v.required_skills.iter().any(|s| s == "hoist"));
    let first = hoist.first().expect("the demo agency has hoist visits in the week");
    assert_eq!(first.controls.len(), 1, "a hoist visit carries the activity's one control");
    let alike: Vec<_> = hoist.iter().filter(|v| v.required_skills == first.required_skills).collect();
    assert!(alike.len() > 1, "the demo agency's week has several visits needing the same hoist skills");
    for v in alike {
        assert!(
            std::sync::Arc::ptr_eq(&v.controls, &first.controls),
            "{} needs the same skills as {}, so shares its controls rather than a copy",
            v.describe(),
            first.describe()
        );
    }
    assert!(other.iter().all(|v| v.controls.is_empty()), "a visit needing no hoist carries no control of it");
}

#[test]
fn a_carers_check_in_control_puts_all_their_visits_on_the_live_board() {
    let mut store = crate::documents::agency_with_rota();
    let (carer, visits): (String, u32) = store
        .read()
        .query_row(
            "SELECT a.carer_id, count(*) FROM visit_allocations a JOIN visits v ON v.id = a.visit_id
             WHERE a.deleted_at IS NULL AND v.local_date = '2026-03-02' AND v.starts_at >= '2026-03-02T06:00'
               AND v.starts_at < '2026-03-02T18:00'
             GROUP BY a.carer_id ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let carer: Uuid = carer.parse().unwrap();
    let at_noon = "2026-03-02T12:00:00Z".parse().unwrap();
    let before = caredesk::risk::watch::live_board(store.read(), at_noon).unwrap();
    assert!(before.rows.is_empty(), "no home in the demo asks for calls");
    let input = assessment(
        Subject::Carer(carer),
        "Epilepsy, well controlled",
        vec![control(ControlKind::CheckInRequired, "", Enforcement::Block)],
    );
    save_assessment(&mut store, &input).unwrap();
    let after = caredesk::risk::watch::live_board(store.read(), at_noon).unwrap();
    assert!(after.rows.len() as u32 >= visits, "{} rows for the carer's {visits} daytime visits", after.rows.len());
    let theirs: HashSet<Uuid> = store
        .read()
        .prepare("SELECT visit_id FROM visit_allocations WHERE carer_id = ?1 AND deleted_at IS NULL")
        .unwrap()
        .query_map([carer.to_string()], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|id| id.unwrap().parse().unwrap())
        .collect();
    assert!(after.rows.iter().all(|r| theirs.contains(&r.visit_id)), "only the carer's visits are watched");
}

#[test]
fn controls_that_mean_nothing_for_the_subject_are_refused_and_nothing_is_saved() {
    let (mut store, _) = support::store();
    let carer = caredesk::people::save_carer(&mut store, &support::carer_form()).unwrap();
    let input = assessment(
        Subject::Carer(carer),
        "Back injury",
        vec![
            control(ControlKind::NoVisitsInDarkness, "", Enforcement::Block),
            control(ControlKind::CarerGender, "female", Enforcement::Block),
        ],
    );
    let refused = save_assessment(&mut store, &input).unwrap_err();
    let fields = refused.payload().details;
    assert!(
        fields.iter().any(|f| f.field == "controls[1].kind" && f.message.to_string().contains("client's home")),
        "{fields:?}"
    );
    assert!(!fields.iter().any(|f| f.field.starts_with("controls[0]")), "darkness is fine for a carer: {fields:?}");
    assert_eq!(support::count(&store, "SELECT count(*) FROM risk_assessments"), 0);

    let unknown = assessment(Subject::Activity("juggling".into()), "Dropped balls", vec![]);
    let refused = save_assessment(&mut store, &unknown).unwrap_err();
    let fields = refused.payload().details;
    assert!(fields.iter().any(|f| f.field == "subject" && f.message.to_string().contains("“juggling”")), "{fields:?}");
}

#[test]
fn carers_and_activities_have_versions_and_their_reviews_come_due_on_the_dashboard() {
    let (mut store, _) = support::store();
    let carer = caredesk::people::save_carer(&mut store, &support::carer_form()).unwrap();
    let first = assessment(Subject::Carer(carer), "Pregnancy: no lifting", vec![]);
    save_assessment(&mut store, &first).unwrap();
    let review = AssessmentInput { summary: "Reviewed at 20 weeks".into(), ..first };
    save_assessment(&mut store, &review).unwrap();
    save_assessment(&mut store, &assessment(Subject::Activity("hoist".into()), "Sling wear", vec![])).unwrap();

    let today = "2026-03-05".parse().unwrap();
    let risk = subject_risk(store.read(), &Subject::Carer(carer), today).unwrap();
    assert_eq!(risk.name, "Sarah Evans (their own assessment)");
    assert_eq!(risk.versions.iter().map(|v| v.version).collect::<Vec<_>>(), vec![2, 1]);
    assert_eq!(risk.current.unwrap().summary, "Reviewed at 20 weeks");

    let overview = caredesk::people::overview::overview(store.read(), today).unwrap();
    assert_eq!(overview.risk_reviews_due, 2, "the carer's and the hoist's reviews are due by 10 Mar");
    let links: HashSet<String> = overview.attention.iter().flat_map(|g| &g.items).map(|a| a.href.clone()).collect();
    assert!(links.contains(&format!("carers/{carer}")), "{links:?}");
    assert!(links.contains("risk/activities/hoist"), "{links:?}");
    let hoist = caredesk::risk::activity_risks(store.read(), today).unwrap();
    let row = hoist.iter().find(|a| a.code == "hoist").unwrap();
    assert!(row.assessed && row.review == "Review due by 10 Mar 2026", "{row:?}");
    assert!(hoist.iter().filter(|a| a.code != "hoist").all(|a| !a.assessed && a.review == "Not assessed"));
}

#[test]
fn a_review_that_drops_every_control_lifts_them_from_the_rota() {
    let (mut store, _) = support::store();
    let carer = caredesk::people::save_carer(&mut store, &support::carer_form()).unwrap();
    let first = assessment(
        Subject::Carer(carer),
        "Night blindness",
        vec![control(ControlKind::NoVisitsInDarkness, "", Enforcement::Block)],
    );
    save_assessment(&mut store, &first).unwrap();
    let now = caredesk::risk::current_controls(store.read()).unwrap();
    assert_eq!(now.carers[&carer].len(), 1, "version 1's control applies");
    let review = AssessmentInput { controls: vec![], summary: "Treated; no limits now".into(), ..first };
    save_assessment(&mut store, &review).unwrap();
    let after = caredesk::risk::current_controls(store.read()).unwrap();
    assert!(!after.carers.contains_key(&carer), "version 2 has no controls, and version 1's no longer apply");
}

/// The ids of the live board's rows.
fn watched(store: &caredesk::Store, now: chrono::DateTime<chrono::Utc>) -> HashSet<Uuid> {
    caredesk::risk::watch::live_board(store.read(), now).unwrap().rows.iter().map(|r| r.visit_id).collect()
}

/// Every planned visit starting within 12 hours of `now` that asks for
/// calls, found the long way: each visit of the days read in full and judged.
fn needing_calls(store: &caredesk::Store, now: chrono::DateTime<chrono::Utc>) -> HashSet<Uuid> {
    let (from, until) = (now - chrono::Duration::hours(12), now + chrono::Duration::hours(12));
    let visits = caredesk::documents::gather::visits_between(store.read(), from, until).unwrap();
    visits.iter().filter(|v| v.check_in).map(|v| v.id).collect()
}

#[test]
fn the_live_board_watches_exactly_the_visits_a_home_a_carer_or_an_activity_asks_calls_for_and_no_cancelled_one() {
    let mut store = crate::documents::agency_with_rota();
    // 20:00 on Monday: the board looks from 08:00 Monday to 08:00 Tuesday.
    let now = "2026-03-02T20:00:00Z".parse().unwrap();
    let one = |store: &caredesk::Store, sql: &str| -> Uuid {
        store.read().query_row(sql, [], |r| r.get::<_, String>(0)).unwrap().parse().unwrap()
    };
    let home = one(
        &store,
        "SELECT client_id FROM visits WHERE status = 'planned' AND starts_at >= '2026-03-02T08:00'
           AND starts_at < '2026-03-03T08:00' AND required_skills NOT LIKE '%\"hoist\"%'
         GROUP BY client_id ORDER BY count(*) DESC, client_id LIMIT 1",
    );
    let carer = one(
        &store,
        "SELECT a.carer_id FROM visit_allocations a JOIN visits v ON v.id = a.visit_id
         WHERE a.deleted_at IS NULL AND v.starts_at >= '2026-03-02T08:00' AND v.starts_at < '2026-03-03T08:00'
         GROUP BY a.carer_id ORDER BY count(*) DESC, a.carer_id LIMIT 1",
    );
    assert!(watched(&store, now).is_empty(), "no home, carer or activity in the demo asks for calls");

    let mut before = HashSet::new();
    for (subject, what) in [
        (Subject::Client(home), "the home"),
        (Subject::Carer(carer), "the carer"),
        (Subject::Activity("hoist".into()), "the activity"),
    ] {
        let input =
            assessment(subject, "Lone working", vec![control(ControlKind::CheckInRequired, "", Enforcement::Block)]);
        save_assessment(&mut store, &input).unwrap();
        let board = watched(&store, now);
        assert_eq!(board, needing_calls(&store, now), "after {what} asked for calls");
        assert!(
            board.len() > before.len(),
            "{what} added visits to the board: {} before, {} after",
            before.len(),
            board.len()
        );
        before = board;
    }

    let cancelled = *before.iter().next().unwrap();
    caredesk::rota::cancel_visit(&mut store, cancelled, "Client away at her daughter's").unwrap();
    let board = watched(&store, now);
    assert!(!board.contains(&cancelled), "a cancelled visit is not watched");
    assert_eq!(board, needing_calls(&store, now));
}
