//! The travel between visits in each carer's week, kept in
//! `carer_week_travel` for the Working Time Regulations' 17-week average,
//! and the rests between them, kept in `carer_week_rests` for the weekly
//! rest over a fortnight.
//!
//! Triggers (migration 21) note the carer's weeks a change touched; before
//! it commits, the write path keeps what [`recounted`] counts for them, so
//! the counts change in the same transaction as the visits and allocations
//! they come from. The counts are the rules' own
//! (`rules::travel_between_visits`, `rules::weekly_rest::run_rests`), so
//! the other weeks are counted exactly as the rota's week is.

use crate::error::Result;
use crate::ids::IdMap;
use crate::people::Transport;
use crate::rules::weekly_rest::{run_rests, WeekRests};
use crate::rules::{travel_between_visits, Stop};
use crate::store::{row_date, row_enum, row_instant, row_uuid};
use crate::travel::GeoPoint;
use crate::travel_settings::travel_settings;
use chrono::{Duration, NaiveDate};
use rusqlite::{Connection, OptionalExtension};
use std::collections::BTreeMap;
use uuid::Uuid;

/// From this many carers noted in one week, the whole week's visits are read
/// in date order and shared out, rather than each carer's looked up visit by
/// visit. On a copy of the bench's huge week (1,500 carers, 59,000
/// allocations), every carer's week took 520–600 ms looked up, about 0.4 ms
/// a carer, and 111–124 ms read whole. A smaller agency's week is quicker
/// still to read whole, so the line is drawn nearer the small end.
const WHOLE_WEEK_FROM: usize = 100;

/// One carer's week, counted again.
pub(crate) struct WeekCount {
    pub carer: Uuid,
    /// The week's Monday.
    pub week: NaiveDate,
    pub travel_min: u32,
    /// `None` for a week without work.
    pub rests: Option<WeekRests>,
}

/// Every carer's week noted as changed, counted again. The write path keeps
/// the counts (`store::write::keep_week_counts`).
pub(crate) fn recounted(conn: &Connection) -> Result<Vec<WeekCount>> {
    let mut noted: BTreeMap<NaiveDate, Vec<Uuid>> = BTreeMap::new();
    {
        let mut stmt = conn.prepare_cached("SELECT carer_id, week FROM carer_weeks_to_recount")?;
        for row in stmt.query_map([], |r| Ok((row_uuid(r, 0)?, row_date(r, 1)?)))? {
            let (carer, week) = row?;
            noted.entry(week).or_default().push(carer);
        }
    }
    if noted.is_empty() {
        return Ok(Vec::new());
    }
    let settings = travel_settings(conn)?;
    let mut transport_of = conn.prepare_cached("SELECT transport FROM carers WHERE id = ?1")?;
    let mut counts = Vec::new();
    for (week, carers) in noted {
        let mut stops =
            if carers.len() >= WHOLE_WEEK_FROM { whole_week(conn, week)? } else { each_carer(conn, week, &carers)? };
        for carer in carers {
            let transport = transport_of
                .query_row([carer.to_string()], |r| row_enum(r, 0, Transport::parse))
                .optional()?
                .unwrap_or(Transport::Car);
            let run = stops.remove(&carer).unwrap_or_default();
            let travel_min = travel_between_visits(&run, transport, &settings);
            counts.push(WeekCount { carer, week, travel_min, rests: run_rests(&run) });
        }
    }
    Ok(counts)
}

/// Each of `carers`' planned visits in the week from `week`, looked up
/// through their allocations.
fn each_carer(conn: &Connection, week: NaiveDate, carers: &[Uuid]) -> Result<IdMap<Vec<Stop>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT v.id, v.starts_at, v.duration_min, v.local_date, c.lat, c.lon
         FROM allocations_by_date a
         JOIN visits v ON v.id = a.visit_id
         JOIN clients c ON c.id = v.client_id
         WHERE a.carer_id = ?1 AND a.local_date BETWEEN ?2 AND ?3
           AND v.deleted_at IS NULL AND v.status = 'planned'",
    )?;
    let (from, to) = (week.to_string(), (week + Duration::days(6)).to_string());
    let mut stops = IdMap::default();
    for carer in carers {
        let run = stmt
            .query_map((carer.to_string(), &from, &to), |r| {
                Ok(Stop {
                    id: row_uuid(r, 0)?,
                    start: row_instant(r, 1)?,
                    duration_min: r.get(2)?,
                    date: row_date(r, 3)?,
                    location: GeoPoint { lat: r.get(4)?, lon: r.get(5)? },
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        stops.insert(*carer, run);
    }
    Ok(stops)
}

/// Every carer's planned visits in the week from `week`: the week's visits
/// and allocations read in date order, put together by id.
fn whole_week(conn: &Connection, week: NaiveDate) -> Result<IdMap<Vec<Stop>>> {
    let (from, to) = (week.to_string(), (week + Duration::days(6)).to_string());
    let mut places: IdMap<GeoPoint> = IdMap::default();
    let mut stmt = conn.prepare_cached("SELECT id, lat, lon FROM clients")?;
    for row in stmt.query_map([], |r| Ok((row_uuid(r, 0)?, GeoPoint { lat: r.get(1)?, lon: r.get(2)? })))? {
        let (id, at) = row?;
        places.insert(id, at);
    }
    let mut visits: IdMap<Stop> = IdMap::default();
    let mut stmt = conn.prepare_cached(
        "SELECT id, client_id, starts_at, duration_min, local_date FROM visits
         WHERE local_date BETWEEN ?1 AND ?2 AND deleted_at IS NULL AND status = 'planned'",
    )?;
    for row in stmt.query_map((&from, &to), |r| {
        Ok((row_uuid(r, 0)?, row_uuid(r, 1)?, row_instant(r, 2)?, r.get(3)?, row_date(r, 4)?))
    })? {
        let (id, client, start, duration_min, date) = row?;
        if let Some(location) = places.get(&client) {
            visits.insert(id, Stop { id, start, duration_min, date, location: *location });
        }
    }
    let mut stops: IdMap<Vec<Stop>> = IdMap::default();
    let mut stmt =
        conn.prepare_cached("SELECT visit_id, carer_id FROM allocations_by_date WHERE local_date BETWEEN ?1 AND ?2")?;
    for row in stmt.query_map((&from, &to), |r| Ok((row_uuid(r, 0)?, row_uuid(r, 1)?)))? {
        let (visit, carer) = row?;
        if let Some(stop) = visits.get(&visit) {
            stops.entry(carer).or_default().push(*stop);
        }
    }
    Ok(stops)
}

/// The rests kept for each carer's week from `week` (a Monday) that had work.
pub(crate) fn week_rests_kept(conn: &Connection, week: NaiveDate) -> Result<Vec<(Uuid, WeekRests)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT carer_id, first_start, last_end, long_rests, longest_min FROM carer_week_rests WHERE week = ?1",
    )?;
    let rows = stmt.query_map([week.to_string()], |r| {
        Ok((
            row_uuid(r, 0)?,
            WeekRests {
                first_start: row_instant(r, 1)?.timestamp(),
                last_end: row_instant(r, 2)?.timestamp(),
                long_rests: r.get(3)?,
                longest: 60 * r.get::<_, i64>(4)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether any carer's week waits to be counted: after an upgrade to
/// schema 21, every week with work in it does.
pub(crate) fn any_to_recount(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM carer_weeks_to_recount)", [], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{demo, Store};

    #[test]
    fn reading_the_whole_week_finds_each_carers_visits_as_looking_each_carer_up_does() {
        let mut store = Store::open_in_memory("test").unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        demo::load(&mut store, &demo::generate(demo::Size::Small, 7, today)).unwrap();
        demo::rota::at_work(&mut store, today).unwrap();
        let last_week = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        // A visit a roll forward removed (its package ended) keeps its carer
        // filed under its date, and is not work.
        let given: Uuid = store
            .read()
            .query_row("SELECT visit_id FROM allocations_by_date WHERE local_date = '2026-11-27' LIMIT 1", [], |r| {
                row_uuid(r, 0)
            })
            .unwrap();
        let visit = crate::rota::visits::load_visit(store.read(), given).unwrap();
        store.write(crate::access::Operation::RollForward, |changes| changes.tombstone(&visit)).unwrap();
        let whole = whole_week(store.read(), last_week).unwrap();
        assert!(whole.len() > 40, "most of the demo's carers worked last week: {}", whole.len());
        let carers: Vec<Uuid> = whole.keys().copied().collect();
        let each = each_carer(store.read(), last_week, &carers).unwrap();
        let sorted = |runs: &IdMap<Vec<Stop>>, carer: &Uuid| {
            let mut run = runs[carer].clone();
            run.sort_by_key(|s| s.id);
            run
        };
        assert!(!whole.values().flatten().any(|s| s.id == given), "the removed visit is not among anyone's");
        for carer in &carers {
            assert_eq!(sorted(&whole, carer), sorted(&each, carer), "carer {carer}'s visits last week");
        }
    }
}
