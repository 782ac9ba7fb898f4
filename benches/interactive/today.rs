//! Today's on-call summary as the page opens, on the huge agency (1,500
//! carers, 5,000 clients) with the next four weeks rolled forward: who is on
//! call, and the gaps in first-line cover over those four weeks. Beside it,
//! in the same run, the raw SQL read of every planned visit's time over the
//! four weeks, which is what the summary read before it looked for the
//! uncovered time first.

use super::{median_ms, Figure};
use caredesk::demo::{self, Size};
use caredesk::{oncall, rota, Store};
use chrono::Duration;
use std::path::Path;

pub fn figures(dir: &Path, today: chrono::NaiveDate, figures: &mut Vec<Figure>) {
    let mut store = Store::open(&dir.join("today.db"), "bench").unwrap();
    demo::load(&mut store, &demo::generate(Size::Huge, 7, today)).unwrap();
    let to = today + Duration::weeks(oncall::service::COVERAGE_WEEKS);
    rota::roll_forward(&mut store, today, to, &mut |_| {}).unwrap();
    let now = caredesk::documents::facts::parse_london_moment(&format!("{today} 07:00")).unwrap();
    let mut gaps = Vec::new();
    let summary_ms = median_ms(11, || {
        gaps = oncall::summary(store.read(), today, now).unwrap().gaps;
    });
    let mut visits = 0;
    let raw_ms = median_ms(11, || {
        let mut stmt = store
            .read()
            .prepare_cached(
                "SELECT starts_at, duration_min FROM visits INDEXED BY visits_by_date
                 WHERE deleted_at IS NULL AND status = 'planned' AND local_date BETWEEN ?1 AND ?2",
            )
            .unwrap();
        visits = stmt
            .query_map([today.to_string(), to.to_string()], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
            .unwrap()
            .count();
    });
    let counted: u32 = gaps.iter().map(|g| g.visits).sum();
    println!(
        "  ({} gaps in first-line cover with {counted} visits in them, of {visits} visits in four weeks)",
        gaps.len()
    );
    assert!(!gaps.is_empty(), "the demo's roster leaves a gap to find");
    figures.push(Figure {
        name: "Today's on-call summary, huge: gaps in cover over four weeks",
        value_ms: summary_ms,
        reference: "raw SQL read of the four weeks' planned visit times",
        reference_ms: raw_ms,
    });
}
