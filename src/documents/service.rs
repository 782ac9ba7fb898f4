//! Producing documents from the store: gathers the facts, stamps who made
//! the document and when, and hands both to the pure builders.

use super::area_rota::area_rota;
use super::facts::moment;
use super::gather::{carers, day_bounds, emergency_contacts, on_call, visits_between, visits_on};
use super::model::Document;
use super::pack::{emergency_pack, PackFacts};
use super::runsheet::{calendar, run_sheets, Period, SheetDetail};
use crate::error::{Error, Result};
use crate::travel_settings::travel_settings;
use crate::Store;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;

/// "Produced Tue 1 Dec 2026 at 16:05 by Sam Manager (sam)".
pub fn produced_line(store: &Store) -> String {
    format!("Produced {} by {}", moment(store.now()), store.actor())
}

fn period(from: NaiveDate, days: u32) -> Result<Period> {
    if !(1..=7).contains(&days) {
        return Err(Error::Conflict(format!("Printed rotas cover 1 to 7 days, not {days}")));
    }
    Ok(Period { from, days })
}

/// Run sheets in full for every carer with visits from `from`, for `days`
/// days; or for one carer only.
pub fn run_sheets_for(store: &Store, from: NaiveDate, days: u32, carer: Option<Uuid>) -> Result<Document> {
    run_sheets_in(store, from, days, carer, SheetDetail::Full)
}

/// The same sheets in full or brief (one line under each visit).
pub fn run_sheets_in(
    store: &Store,
    from: NaiveDate,
    days: u32,
    carer: Option<Uuid>,
    detail: SheetDetail,
) -> Result<Document> {
    let period = period(from, days)?;
    let to = from + Duration::days(i64::from(days) - 1);
    let conn = store.read();
    let visits = visits_on(conn, from, to)?;
    let mut people = carers(conn)?;
    if let Some(only) = carer {
        people.retain(|c| c.id == only);
        if people.is_empty() {
            return Err(Error::NotFound { entity: "carer", id: only.to_string() });
        }
    }
    let (start, end) = day_bounds(from, to);
    let on_call = on_call(conn, start, end)?;
    Ok(run_sheets(period, &people, &visits, &on_call, &travel_settings(conn)?, detail, produced_line(store)))
}

/// The rota by area from `from` for `days` days: every area with visits,
/// or `area` alone ("SY3", any case).
pub fn area_rota_for(store: &Store, from: NaiveDate, days: u32, area: Option<&str>) -> Result<Document> {
    let period = period(from, days)?;
    let visits = visits_on(store.read(), from, from + Duration::days(i64::from(days) - 1))?;
    let only = area.map(|a| a.trim().to_uppercase()).filter(|a| !a.is_empty());
    if let Some(only) = &only {
        if !visits.iter().any(|v| &v.area == only) {
            return Err(Error::Invalid(vec![crate::error::FieldError {
                field: "area".into(),
                message: format!("No visits in {only} on these days"),
            }]));
        }
    }
    Ok(area_rota(period, &visits, only.as_deref(), produced_line(store)))
}

/// One carer's visits from `from` for `days` days as an iCalendar file.
pub fn carer_calendar(store: &Store, carer: Uuid, from: NaiveDate, days: u32) -> Result<String> {
    period(from, days)?;
    let conn = store.read();
    let who = carers(conn)?
        .into_iter()
        .find(|c| c.id == carer)
        .ok_or_else(|| Error::NotFound { entity: "carer", id: carer.to_string() })?;
    let visits = visits_on(conn, from, from + Duration::days(i64::from(days) - 1))?;
    let theirs: Vec<_> = visits.iter().filter(|v| v.carers.iter().any(|(id, _)| *id == carer)).collect();
    Ok(calendar(&who, &theirs))
}

/// The emergency pack for the 36 hours from `from`.
pub fn emergency_pack_from(store: &Store, from: DateTime<Utc>) -> Result<Document> {
    let conn = store.read();
    let mut facts = PackFacts {
        from,
        on_call: Vec::new(),
        visits: Vec::new(),
        carers: carers(conn)?,
        emergency_contacts: emergency_contacts(conn)?,
        made_ahead: crate::rota::made_ahead(conn, crate::rota::plan::london_date(from))?,
    };
    facts.on_call = on_call(conn, from, facts.until())?;
    facts.visits = visits_between(conn, from, facts.until())?;
    Ok(emergency_pack(&facts, produced_line(store)))
}

/// "caredesk-run-sheet-mon-2-mar-2026.pdf": the kind and title, in safe characters.
pub fn pdf_file_name(doc: &Document) -> String {
    let words = format!("caredesk {} {}", doc.kind, doc.title).to_lowercase();
    let slug: Vec<String> =
        words.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(String::from).collect();
    format!("{}.pdf", slug.join("-"))
}

/// "caredesk-visits-2026-12-01-01941f29.ics" for a carer's calendar file.
pub fn calendar_file_name(carer: Uuid, from: NaiveDate) -> String {
    format!("caredesk-visits-{from}-{}.ics", &carer.simple().to_string()[..8])
}
