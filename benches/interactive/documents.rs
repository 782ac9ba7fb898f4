//! Printed documents on the large agency (300 carers, 1,000 clients): the
//! day's batch of run sheets, as the model and as a PDF, the handover sheet
//! and the emergency pack. The reference is the raw SQL read of the same
//! day's visits with their clients and carers, in the same run.

use super::{median_ms, Figure};
use caredesk::demo::{self, Size};
use caredesk::documents::{handover::Direction, handovers, service, write_pdf};
use caredesk::{rota, Store};
use chrono::Duration;
use std::path::Path;

pub fn figures(dir: &Path, today: chrono::NaiveDate, figures: &mut Vec<Figure>) {
    let path = dir.join("documents.db");
    let mut store = Store::open(&path, "bench").unwrap();
    demo::load(&mut store, &demo::generate(Size::Large, 7, today)).unwrap();
    rota::roll_forward(&mut store, today, today + Duration::days(2), &mut |_| {}).unwrap();
    let allocated = demo::rota::allocate_in_turn(&mut store, today, today + Duration::days(2)).unwrap();

    let raw_ms = median_ms(11, || {
        let mut stmt = store
            .read()
            .prepare_cached(
                "SELECT v.id, v.starts_at, v.duration_min, v.tasks, c.given_name, c.family_name, c.address_line1,
                        c.town, c.postcode, c.access_notes, k.given_name, k.family_name
                 FROM visits v JOIN clients c ON c.id = v.client_id
                      LEFT JOIN visit_allocations a ON a.visit_id = v.id AND a.deleted_at IS NULL
                      LEFT JOIN carers k ON k.id = a.carer_id
                 WHERE v.local_date = ?1 AND v.deleted_at IS NULL",
            )
            .unwrap();
        let n = stmt
            .query_map([today.to_string()], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(9)?,
                    r.get::<_, Option<String>>(11)?,
                ))
            })
            .unwrap()
            .count();
        assert!(n > 1000, "a large agency's day has visits, got {n}");
    });
    let reference = "raw SQL read of the day's visits with their clients and carers";

    let mut pages = 0;
    let mut carers = 0;
    let model_ms = median_ms(11, || {
        carers = service::run_sheets_for(&store, today, 1, None).unwrap().parts.len();
    });
    let pdf = dir.join("run-sheets.pdf");
    let batch_ms = median_ms(5, || {
        let doc = service::run_sheets_for(&store, today, 1, None).unwrap();
        pages = write_pdf(&doc, &pdf).unwrap();
    });
    let at = caredesk::documents::facts::parse_london_moment(&format!("{today} 17:00")).unwrap();
    let handover_ms = median_ms(5, || {
        let doc = handovers::handover_sheet_at(&store, Direction::OfficeToOnCall, at).unwrap();
        write_pdf(&doc, &dir.join("handover.pdf")).unwrap();
    });
    let mut pack_pages = 0;
    let pack_ms = median_ms(5, || {
        let doc = service::emergency_pack_from(&store, at - Duration::hours(9)).unwrap();
        pack_pages = write_pdf(&doc, &dir.join("pack.pdf")).unwrap();
    });
    println!(
        "  ({allocated} allocations over three days; the day's run sheets: {carers} carers on {pages} pages; \
         the emergency pack: {pack_pages} pages)"
    );
    figures.push(Figure {
        name: "run sheets for a day, large: the model",
        value_ms: model_ms,
        reference,
        reference_ms: raw_ms,
    });
    figures.push(Figure {
        name: "run sheets for a day, large: the model and the PDF",
        value_ms: batch_ms,
        reference,
        reference_ms: raw_ms,
    });
    figures.push(Figure {
        name: "handover sheet at 17:00, large, as a PDF",
        value_ms: handover_ms,
        reference,
        reference_ms: raw_ms,
    });
    figures.push(Figure {
        name: "emergency pack (36 hours), large, as a PDF",
        value_ms: pack_ms,
        reference,
        reference_ms: raw_ms,
    });
}
