//! Auto-scheduling the large agency's day (300 carers, 1,000 clients),
//! every visit waiting for a carer: preparing, searching for up to 20 s and
//! checking every proposed allocation with the rules, then applying it.
//! Beside the raw SQL read of the same day's visits in the same run.
//! Prints how many slots got a carer and how many block findings the
//! applied allocations have (none is the goal).

use super::{median_ms, Figure};
use caredesk::demo::{self, Size};
use caredesk::rota::auto::{apply_auto_plan, auto_schedule, AutoChoice};
use caredesk::rules::Severity;
use caredesk::schedule::Options;
use caredesk::{rota, Store};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

pub fn figures(dir: &Path, today: chrono::NaiveDate, figures: &mut Vec<Figure>) {
    let mut store = Store::open(&dir.join("auto.db"), "bench").unwrap();
    demo::load(&mut store, &demo::generate(Size::Large, 7, today)).unwrap();
    rota::roll_forward(&mut store, today, today, &mut |_| {}).unwrap();
    let started = Instant::now();
    let plan = auto_schedule(
        &store,
        today,
        1,
        Options { seconds: 20.0, seed: 1, max_steps: None },
        &AtomicBool::new(false),
        &mut |_| {},
    )
    .unwrap();
    let plan_ms = started.elapsed().as_secs_f64() * 1000.0;
    let raw_ms = median_ms(5, || {
        let mut stmt = store
            .read()
            .prepare_cached(
                "SELECT v.id, v.starts_at, v.duration_min, v.carers_required, c.lat, c.lon FROM visits v
                 JOIN clients c ON c.id = v.client_id
                 WHERE v.local_date = ?1 AND v.deleted_at IS NULL AND v.status = 'planned'",
            )
            .unwrap();
        let n = stmt.query_map([today.to_string()], |_| Ok(())).unwrap().count();
        assert!(n > 0);
    });
    let choices: Vec<AutoChoice> = plan.proposals.iter().map(|p| p.choice.clone()).collect();
    let applied = apply_auto_plan(&mut store, &choices, "").unwrap();
    let week = rota::week::cached_week(&store, today).unwrap();
    let blocks = week
        .findings()
        .iter()
        .filter(|f| {
            f.severity == Severity::Block && f.visit_ids.iter().any(|v| choices.iter().any(|c| c.visit_id == *v))
        })
        .count();
    let nobody = plan.left.iter().filter(|l| l.why.starts_with("nobody")).count();
    let rules = plan.left.iter().filter(|l| l.why.starts_with("the rules")).count();
    println!(
        "auto-schedule, large day: {} open slots left: {nobody} fit nobody available, {rules} refused by the rules \
         on checking, {} no carer who fits can reach in time",
        plan.left.len(),
        plan.left.len() - nobody - rules
    );
    println!(
        "auto-schedule, large day: {} of {} open slots given ({} skipped on applying), {} with a carer the client knows, \
         {} steps in {:.1} s of search; block findings on the applied allocations: {blocks}",
        applied.given,
        plan.open_slots,
        applied.skipped.len(),
        plan.known_carers,
        plan.steps,
        plan.seconds
    );
    figures.push(Figure {
        name: "auto-schedule the large agency's day (20 s search, checked)",
        value_ms: plan_ms,
        reference: "raw SQL read of the day's visits",
        reference_ms: raw_ms,
    });
}
