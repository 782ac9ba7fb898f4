//! The rota board a screenful at a time, as the grid scrolls it. The grid is
//! handed every row it may scroll to (the carers the filters keep, each
//! with the number of rows of blocks their visits stack into) and the
//! board's totals, but the visits only of the rows in view, asked for as
//! they come into view. The huge agency's week is 60,000 visits: held whole
//! in the page it made the app 67 MB larger and its week 500 ms slower to
//! draw. Which visits go in which lane, and how they stack, is worked out
//! here from the kept week, the same way for the rows and for their visits.

use super::board::{
    board_carers, board_span, carer_names, clock_of, names_on_visit, now_on_board, BoardCarer, BoardClient, BoardVisit,
    Made,
};
use super::publish::{draft_dates, publication_on, Publication};
use super::timeline::Timeline;
use super::week::{cached_week, monday_of, OneVisit, Week};
use crate::error::Result;
use crate::ids::IdMap;
use crate::people::common::outward_code;
use crate::rules::Severity;
use chrono::{NaiveDate, Timelike};
use chrono_tz::Europe::London;
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};
use std::ops::Range;
use std::sync::{Arc, PoisonError};
use ts_rs::TS;
use uuid::Uuid;

/// What the coordinator has narrowed the board to. Empty texts keep all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[ts(export)]
pub struct BoardFilters {
    /// A postcode's outward code ("SY3"): carers who live there or have a
    /// visit there, and the waiting visits there.
    pub area: String,
    /// Carers who hold it, and the waiting visits that need it.
    pub skill: String,
    /// Part of a carer's name, in any case.
    pub carer: String,
    /// Only carers with a finding about them or one of their visits.
    pub problems_only: bool,
}

/// A carer's row: the carer, and how many rows of blocks their visits
/// stack into so that none hides another.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BoardRow {
    pub carer: BoardCarer,
    pub rows: u32,
}

/// The unallocated lane's size: its visits, and the rows they stack into.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct QueueLane {
    pub visits: u32,
    pub rows: u32,
}

/// The board without its visits: what the grid needs to lay out every row
/// and the page's line of totals.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BoardView {
    pub from: NaiveDate,
    pub days: Vec<NaiveDate>,
    /// Visits on the board's days, cancelled ones too, whatever the filters.
    pub visits: u32,
    /// Visits still short of a carer, whatever the filters.
    pub unallocated: u32,
    pub blocks: u32,
    pub warnings: u32,
    /// Days of the board still in draft.
    pub drafts: Vec<NaiveDate>,
    pub publication: Option<Publication>,
    /// Minutes from the board's first midnight to now, when now is on it.
    pub now_min: Option<u32>,
    /// The board's time axis: its days' lengths, hour marks, clock changes.
    pub timeline: Timeline,
    /// When some of the board's days have no visits made from the care
    /// packages (never rolled forward, or past the last day made), a
    /// sentence saying which.
    pub not_made: Option<String>,
    /// Every area of the board's clients and of the carers, for the filter.
    pub areas: Vec<String>,
    /// The carers the filters keep, by name.
    pub carers: Vec<BoardRow>,
    /// The unallocated lane, as the filters keep it.
    pub queue: QueueLane,
}

/// A visit in its lane: its row there, the visit, and who it is for.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PlacedVisit {
    pub row: u32,
    pub visit: BoardVisit,
    pub client: BoardClient,
}

/// One carer's lane of visits.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CarerLane {
    pub carer_id: Uuid,
    pub placed: Vec<PlacedVisit>,
}

/// The visits of the rows in view.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BoardPart {
    pub carers: Vec<CarerLane>,
    /// The unallocated lane's visits on the rows asked for.
    pub queue: Vec<PlacedVisit>,
}

/// A visit's place on the board: the week's index of it, its day of the
/// board, its minute past that day's midnight on the London clock (a visit
/// at 02:30 BST on the March night says 02:30, as the wall clock does), its
/// minute on the board's timeline (time as it passes: that visit is 90
/// minutes after midnight, not 150), and its row in the lane. Lanes stack
/// by the timeline, as the rules see clashes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Spot {
    pub i: usize,
    pub day: u8,
    pub start_min: u32,
    pub at: u32,
    pub row: u32,
}

impl Spot {
    pub fn new(i: usize, day: u8, start_min: u32, at: u32) -> Spot {
        Spot { i, day, start_min, at, row: 0 }
    }
}

/// The board's lanes as the filters keep them: each carer's row with its
/// visits stacked, and the unallocated lane's.
#[derive(Debug)]
pub(super) struct Lanes {
    pub carers: Vec<(BoardCarer, Vec<Spot>, u32)>,
    pub queue: (Vec<Spot>, u32),
}

/// Stacks a lane's visits into as few rows as possible, none overlapping
/// another in its row, earliest first (ties by id, so the same on every
/// read: visits starting together are on one day, where the week's order
/// is by id), each in the first row free by its start. At least one row,
/// so an empty lane still shows.
fn pack(mut spots: Vec<Spot>, minutes: impl Fn(usize) -> u32) -> (Vec<Spot>, u32) {
    spots.sort_unstable_by_key(|s| (s.at, s.i));
    // The rows in use by when their last visit ends, and those free again:
    // the unallocated lane of a week planned ahead stacks thousands of
    // visits into hundreds of rows, too many to look along for each.
    let mut busy: BinaryHeap<Reverse<(u32, u32)>> = BinaryHeap::new();
    let mut free: BinaryHeap<Reverse<u32>> = BinaryHeap::new();
    let mut rows = 0;
    for spot in &mut spots {
        let start = spot.at;
        while busy.peek().is_some_and(|Reverse((end, _))| *end <= start) {
            if let Some(Reverse((_, row))) = busy.pop() {
                free.push(Reverse(row));
            }
        }
        let row = free.pop().map_or_else(
            || {
                rows += 1;
                rows - 1
            },
            |Reverse(row)| row,
        );
        busy.push(Reverse((start + minutes(spot.i), row)));
        spot.row = row;
    }
    (spots, rows.max(1))
}

/// The postcode area of a client of the week ("" if not one of its clients).
fn area_of<'a>(week: &'a Week, client: &Uuid) -> &'a str {
    week.facts.clients.get(client).map_or("", |c| outward_code(&c.client.postcode))
}

/// Every visit of the board's days, in the week's order: cancelled ones
/// too, but not those for a client no longer on the books.
pub(super) fn on_board(week: &Week, from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = Spot> + '_ {
    let timeline = Timeline::spanning(from, to);
    week.visits().enumerate().filter_map(move |(i, visit)| {
        let visit = visit.facts;
        if !(from..=to).contains(&visit.date) || !week.facts.clients.contains_key(&visit.client_id) {
            return None;
        }
        let local = visit.start.with_timezone(&London);
        let day = (visit.date - from).num_days() as u8;
        let at = timeline.minute_of(visit.start).max(0) as u32;
        Some(Spot { i, day, start_min: local.hour() * 60 + local.minute(), at, row: 0 })
    })
}

/// The lanes last laid out from a kept week, with the board they are for.
/// The grid asks for a board's rows and then, at each step of a scroll, for
/// the visits of a screenful of them: laying the huge agency's week out
/// took 14-38 ms each time, where a screenful's visits take one or two.
/// They go when the week changes, with the rest of what it worked out
/// (`Week::recheck`).
#[derive(Debug)]
pub(super) struct LaidOut {
    from: NaiveDate,
    to: NaiveDate,
    filters: BoardFilters,
    pub lanes: Lanes,
}

/// The lanes of the board from `from` to `to` with `filters`: those last
/// laid out if they are for the same board, else laid out now and kept.
pub(super) fn lanes(week: &Week, from: NaiveDate, to: NaiveDate, filters: &BoardFilters) -> Arc<LaidOut> {
    let kept = week.laid_out();
    let last = kept.lock().unwrap_or_else(PoisonError::into_inner).clone();
    if let Some(laid) = last.filter(|l| l.from == from && l.to == to && l.filters == *filters) {
        return laid;
    }
    // Laid out with the lock let go: a board asked for meanwhile waits for
    // nothing, and the last one laid out is kept.
    let laid = Arc::new(LaidOut { from, to, filters: filters.clone(), lanes: lay_out(week, from, to, filters) });
    *kept.lock().unwrap_or_else(PoisonError::into_inner) = Some(laid.clone());
    laid
}

fn lay_out(week: &Week, from: NaiveDate, to: NaiveDate, filters: &BoardFilters) -> Lanes {
    // A week opened from nothing spends most of this on the rules'
    // findings, on every core but for their filing by visit. Where the
    // visits go in their rows needs none of them, so it is worked out beside
    // them; the rows are then kept or left by the filters.
    let (by_visit, (mut placed, queue)) = rayon::join(|| week.findings_by_visit(), || place(week, from, to, filters));
    let in_area = |s: &Spot| area_of(week, &week.visit(s.i).facts.client_id) == filters.area;
    let has_findings = |s: &Spot| !by_visit.get(&week.visit(s.i).facts.id).is_empty();
    let name = filters.carer.trim().to_lowercase();
    let minutes = |i| week.visit(i).facts.duration_min;
    let carers = board_carers(week, from, to)
        .into_iter()
        .filter_map(|carer| {
            let (spots, rows) = placed.remove(&carer.carer_id).unwrap_or_else(|| pack(Vec::new(), minutes));
            let kept = (name.is_empty() || carer.name.to_lowercase().contains(&name))
                && (filters.skill.is_empty() || carer.skills.contains(&filters.skill))
                && (filters.area.is_empty() || carer.area == filters.area || spots.iter().any(in_area))
                && (!filters.problems_only || !carer.findings.is_empty() || spots.iter().any(has_findings));
            kept.then_some((carer, spots, rows))
        })
        .collect();
    Lanes { carers, queue }
}

/// Each carer's visits on the board stacked in their rows, and the waiting
/// visits the filters keep stacked in theirs; the carers' work in the week
/// counted on the way, for their rows. Needs none of the rules' findings.
#[allow(clippy::type_complexity)]
fn place(
    week: &Week,
    from: NaiveDate,
    to: NaiveDate,
    filters: &BoardFilters,
) -> (IdMap<(Vec<Spot>, u32)>, (Vec<Spot>, u32)) {
    let mut by_carer: IdMap<Vec<Spot>> = IdMap::default();
    let mut waiting = Vec::new();
    // A cancelled visit takes nobody's time and waits for nobody.
    for spot in on_board(week, from, to) {
        let visit = week.visit(spot.i);
        if visit.cancelled() {
            continue;
        }
        for carer in &visit.facts.carers {
            by_carer.entry(*carer).or_default().push(spot);
        }
        if visit.needs_carer() {
            waiting.push(spot);
        }
    }
    let minutes = |i| week.visit(i).facts.duration_min;
    let placed = by_carer.into_iter().map(|(carer, spots)| (carer, pack(spots, minutes))).collect();
    let in_area = |s: &Spot| area_of(week, &week.visit(s.i).facts.client_id) == filters.area;
    waiting.retain(|s| {
        (filters.area.is_empty() || in_area(s))
            && (filters.skill.is_empty() || week.visit(s.i).facts.required_skills.contains(&filters.skill))
    });
    week.work();
    (placed, pack(waiting, minutes))
}

/// What the summary line counts of a board's visits, and the clients they
/// are for (whose areas the area filter offers), each client once.
#[derive(Default)]
struct Tally {
    visits: u32,
    unallocated: u32,
    blocks: u32,
    warnings: u32,
    clients: FxHashSet<Uuid>,
}

impl Tally {
    fn count(&mut self, severity: Severity) {
        match severity {
            Severity::Block => self.blocks += 1,
            Severity::Warn => self.warnings += 1,
        }
    }

    fn merge(mut self, other: Tally) -> Tally {
        self.visits += other.visits;
        self.unallocated += other.unallocated;
        self.blocks += other.blocks;
        self.warnings += other.warnings;
        self.clients.extend(other.clients);
        self
    }
}

/// The board of `day` alone (`days` = 1) or of its week (`days` = 7),
/// without its visits: the rows the filters keep, and the board's totals.
pub fn board_view(store: &crate::Store, day: NaiveDate, days: u8, filters: &BoardFilters) -> Result<BoardView> {
    let (from, to) = board_span(day, days)?;
    let week = cached_week(store, monday_of(from))?;
    let conn = store.read();
    let laid = lanes(&week, from, to, filters);
    let lanes = &laid.lanes;
    let (all, by_visit) = (week.findings(), week.findings_by_visit());
    // The board's visits as `on_board` finds them, without the times of
    // day it works out for the grid, counted on every core.
    let on_days =
        |v: &OneVisit| (from..=to).contains(&v.facts.date) && week.facts.clients.contains_key(&v.facts.client_id);
    let mut tally = (0..week.len())
        .into_par_iter()
        .map(|i| week.visit(i))
        .filter(on_days)
        .fold(Tally::default, |mut tally, visit| {
            tally.visits += 1;
            tally.unallocated += u32::from(visit.needs_carer());
            tally.clients.insert(visit.facts.client_id);
            for &f in by_visit.get(&visit.facts.id) {
                tally.count(all[f as usize].severity);
            }
            tally
        })
        .reduce(Tally::default, Tally::merge);
    // Findings about a carer's whole week, whatever the filters, as their
    // rows would show them.
    for finding in all.iter().filter(|f| f.rule.about_the_week()) {
        if finding.carer_id.is_some_and(|c| week.facts.carers.contains_key(&c)) {
            tally.count(finding.severity);
        }
    }
    let Tally { visits, unallocated, blocks, warnings, clients } = tally;
    let mut areas: BTreeSet<&str> = clients.iter().map(|c| area_of(&week, c)).collect();
    areas.extend(week.facts.carers.values().map(|c| outward_code(&c.carer.postcode)));
    let rows = lanes.carers.iter().map(|(carer, _, rows)| BoardRow { carer: carer.clone(), rows: *rows }).collect();
    let timeline = Timeline::new(from, days);
    Ok(BoardView {
        from,
        days: from.iter_days().take(usize::from(days)).collect(),
        visits,
        unallocated,
        blocks,
        warnings,
        drafts: draft_dates(conn, from, to)?,
        publication: publication_on(conn, to)?.or(publication_on(conn, from)?),
        now_min: now_on_board(store, &timeline),
        timeline,
        not_made: super::made_ahead::not_made(conn, from, to, store.today())?,
        areas: areas.into_iter().filter(|a| !a.is_empty()).map(str::to_string).collect(),
        carers: rows,
        queue: QueueLane { visits: lanes.queue.0.len() as u32, rows: lanes.queue.1 },
    })
}

/// The visits of the rows in view: those of `carers` (rows of the board
/// the filters keep; any other is left out), and those of the unallocated
/// lane on its `queue_rows`. Each in its row, as [`board_view`] counted them.
pub fn board_part(
    store: &crate::Store,
    day: NaiveDate,
    days: u8,
    filters: &BoardFilters,
    carers: &[Uuid],
    queue_rows: Range<u32>,
) -> Result<BoardPart> {
    let (from, to) = board_span(day, days)?;
    let week = cached_week(store, monday_of(from))?;
    let conn = store.read();
    let laid = lanes(&week, from, to, filters);
    let lanes = &laid.lanes;
    let names = carer_names(conn, &week, from, to)?;
    let made = Made::new(&week, &names);
    let place = |spot: &Spot| PlacedVisit {
        row: spot.row,
        visit: made.visit(spot, clock_of(spot.start_min)),
        client: client_of(&week, &week.visit(spot.i).facts.client_id),
    };
    let asked: BTreeSet<&Uuid> = carers.iter().collect();
    let carers = lanes
        .carers
        .iter()
        .filter(|(carer, _, _)| asked.contains(&carer.carer_id))
        .map(|(carer, spots, _)| CarerLane { carer_id: carer.carer_id, placed: spots.iter().map(place).collect() })
        .collect();
    let mut queue: Vec<PlacedVisit> = lanes.queue.0.iter().filter(|s| queue_rows.contains(&s.row)).map(place).collect();
    if !queue.is_empty() {
        // Why each was left without a carer, where someone said.
        let mut notes = super::reallocate::queue_notes(conn, from, to)?;
        for placed in &mut queue {
            placed.visit.queue_note = notes.remove(&placed.visit.id).unwrap_or_default();
        }
    }
    Ok(BoardPart { carers, queue })
}

/// One visit of the board as the grid draws it, with who it is for: the
/// visit the coordinator has chosen, read again after a change. None when
/// it is not on the board's days.
pub fn board_visit(store: &crate::Store, day: NaiveDate, days: u8, visit_id: Uuid) -> Result<Option<PlacedVisit>> {
    let (from, to) = board_span(day, days)?;
    let week = cached_week(store, monday_of(from))?;
    let Some(spot) = on_board(&week, from, to).find(|s| week.visit(s.i).facts.id == visit_id) else { return Ok(None) };
    placed_alone(store, &week, from, to, &spot).map(Some)
}

/// One visit made as the grid draws it in its row, with who it is for and,
/// when it waits, why it was left without a carer: a visit asked for alone,
/// not a screenful.
pub(super) fn placed_alone(
    store: &crate::Store,
    week: &Week,
    from: NaiveDate,
    to: NaiveDate,
    spot: &Spot,
) -> Result<PlacedVisit> {
    let conn = store.read();
    let names = names_on_visit(conn, week, spot.i)?;
    let mut visit = Made::new(week, &names).visit(spot, clock_of(spot.start_min));
    if visit.needs_carer {
        visit.queue_note = super::reallocate::queue_notes(conn, from, to)?.remove(&visit.id).unwrap_or_default();
    }
    Ok(PlacedVisit { row: spot.row, visit, client: client_of(week, &week.visit(spot.i).facts.client_id) })
}

fn client_of(week: &Week, id: &Uuid) -> BoardClient {
    match week.facts.clients.get(id) {
        Some(c) => BoardClient::of(&c.client),
        None => BoardClient { name: Arc::from(""), postcode: Arc::from(""), area: Arc::from("") },
    }
}

#[cfg(test)]
mod tests {
    use super::{pack, Spot};
    use rand::{Rng, SeedableRng};

    /// Stacking as a person would: each visit, earliest first, in the first
    /// row whose last visit has ended by its start.
    fn looked_along(mut spots: Vec<Spot>, minutes: &[u32]) -> Vec<(usize, u32)> {
        spots.sort_unstable_by_key(|s| (s.at, s.i));
        let mut ends: Vec<u32> = Vec::new();
        let mut placed = Vec::new();
        for spot in spots {
            let row = ends.iter().position(|&end| end <= spot.at).unwrap_or(ends.len());
            if row == ends.len() {
                ends.push(0);
            }
            ends[row] = spot.at + minutes[spot.i];
            placed.push((spot.i, row as u32));
        }
        placed
    }

    #[test]
    fn a_lane_stacks_each_visit_in_the_first_row_free_by_its_start() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for lane in 0..200 {
            let n = rng.random_range(0..300);
            // Calls on the quarter hour over a week, some at the same time,
            // a few of no length.
            let minutes: Vec<u32> = (0..n).map(|_| [0, 15, 30, 45, 60, 90][rng.random_range(0..6)]).collect();
            let spots: Vec<Spot> = (0..n)
                .map(|i| {
                    let (day, start_min) = (rng.random_range(0..7), rng.random_range(0..96) * 15);
                    Spot { i, day, start_min, at: u32::from(day) * 24 * 60 + start_min, row: 0 }
                })
                .collect();
            let (packed, rows) = pack(spots.clone(), |i| minutes[i]);
            let expected = looked_along(spots, &minutes);
            let got: Vec<(usize, u32)> = packed.iter().map(|s| (s.i, s.row)).collect();
            assert_eq!(got, expected, "lane {lane}");
            let used = expected.iter().map(|(_, row)| row + 1).max().unwrap_or(1);
            assert_eq!(rows, used, "lane {lane}: as many rows as the visits use, at least one");
        }
    }
}
