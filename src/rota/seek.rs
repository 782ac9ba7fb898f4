//! Stepping through the board to what needs doing: the next visit waiting
//! for a carer, or the next one a rule blocks or warns about. At 06:00 the
//! day's board opens on the morning; an evening visit still waiting sits
//! off to the right, and a week's hundreds sit far below in the unallocated
//! lane. The summary line's counts say how many there are; this says where
//! the next one is, in the lane and row the grid draws it, so the grid can
//! scroll to it and the visit panel can offer who could go. The counts of
//! rules broken include those about a carer's whole week, which no visit
//! carries: those are stops too, on the carer's row, after the visits.

use super::board::{board_span, now_on_board, WeekFinding};
use super::board_view::{lanes, on_board, placed_alone, BoardFilters, PlacedVisit, Spot};
use super::timeline::Timeline;
use super::week::{cached_week, monday_of};
use crate::error::Result;
use crate::rules::Severity;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// What the coordinator steps through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Seek {
    /// Visits with a slot no carer is in.
    Waiting,
    /// Visits with a finding that blocks.
    Block,
    /// Visits with a finding that warns.
    Warn,
}

/// What was found: a visit, where the grid draws it, or a carer whose week
/// a rule is about (their hours, their weekly rest), and its place among
/// those sought: "2 of 4", or "2-3 of 4" for a stop with two of the
/// findings, so that the last stop's place is the count the summary line
/// gives.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Sought {
    /// The visit, with its row in the lane below (its `at_min` is where on
    /// the timeline to scroll to); none for a carer's week.
    pub placed: Option<PlacedVisit>,
    /// The carer whose row it is in; none for the unallocated lane.
    pub lane: Option<Uuid>,
    /// For a carer's week: what the rules of the kind sought say about it.
    pub about_week: Vec<WeekFinding>,
    /// From 1: the visits in order of time, then the carers' weeks in the
    /// order of their rows, each counting as many places as it has
    /// findings of the kind sought (a waiting visit, one).
    pub place: u32,
    /// The last place this stop counts: `place` but for a stop with more
    /// than one finding.
    pub place_to: u32,
    pub of: u32,
}

/// One stop of the stepping: a visit in a lane, or a carer's row (its
/// index among the rows) for the findings about their week.
#[derive(Clone, Copy)]
enum Stop<'a> {
    Visit(&'a Spot, Option<Uuid>),
    Week(usize),
}

/// Where to look from: just after a visit already shown, or from a minute
/// of the board (now, on today's board).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    After { at: u32, i: usize },
    At(u32),
}

/// The index, in `keys` (each stop's minute and the week's index of it,
/// in order; a carer's week is at the end, `u32::MAX` and their row), of
/// the one to show next from `from`: the first after it, or the first of
/// all once past the last, so stepping goes round.
pub fn next_of(keys: &[(u32, usize)], from: Start) -> Option<usize> {
    if keys.is_empty() {
        return None;
    }
    let found = match from {
        Start::After { at, i } => keys.partition_point(|&key| key <= (at, i)),
        Start::At(at) => keys.partition_point(|&(a, _)| a < at),
    };
    Some(if found == keys.len() { 0 } else { found })
}

/// The next stop on the board of `day` (alone or its week) with the
/// filters, of the kind sought: after `after` (the visit the coordinator
/// has open, or the carer whose week was last shown), else from now on
/// today's board, else from the board's start. None when there are none.
pub fn board_seek(
    store: &crate::Store,
    day: NaiveDate,
    days: u8,
    filters: &BoardFilters,
    seek: Seek,
    after: Option<Uuid>,
) -> Result<Option<Sought>> {
    let (from, to) = board_span(day, days)?;
    let week = cached_week(store, monday_of(from))?;
    let laid = lanes(&week, from, to, filters);
    let (all, by_visit) = (week.findings(), week.findings_by_visit());
    let count_of = |spot: &Spot, severity: Severity| {
        let of_visit = by_visit.get(&week.visit(spot.i).facts.id);
        of_visit.iter().filter(|&&f| all[f as usize].severity == severity).count() as u32
    };
    let rows = &laid.lanes.carers;
    // Each visit once, in the first lane it is drawn in: a carer's row
    // before the unallocated lane, where a double-up short of one carer is
    // drawn too, as the rules' findings are about the carers in it. The
    // rules about a carer's whole week come after the visits, a stop for
    // each carer, as their rows show them. Each with how many places it
    // counts: its findings of the kind, as the summary line counts them.
    let mut stops: Vec<((u32, usize), Stop, u32)> = match severity_of(seek) {
        None => laid.lanes.queue.0.iter().map(|s| ((s.at, s.i), Stop::Visit(s, None), 1)).collect(),
        Some(severity) => {
            let in_rows = rows.iter().flat_map(|(c, spots, _)| spots.iter().map(|s| (s, Some(c.carer_id))));
            let visits = in_rows.chain(laid.lanes.queue.0.iter().map(|s| (s, None))).filter_map(|(s, lane)| {
                let n = count_of(s, severity);
                (n > 0).then_some(((s.at, s.i), Stop::Visit(s, lane), n))
            });
            let weeks = rows.iter().enumerate().filter_map(|(r, (carer, _, _))| {
                let n = carer.findings.iter().filter(|f| f.severity == severity).count() as u32;
                (n > 0).then_some(((u32::MAX, r), Stop::Week(r), n))
            });
            visits.chain(weeks).collect()
        }
    };
    stops.sort_by_key(|(key, _, _)| *key);
    stops.dedup_by_key(|(key, _, _)| *key);
    let keys: Vec<(u32, usize)> = stops.iter().map(|(key, _, _)| *key).collect();
    // After the carer or the visit last shown, else from now.
    let after_carer =
        |id| rows.iter().position(|(c, _, _)| c.carer_id == id).map(|r| Start::After { at: u32::MAX, i: r });
    // Looked for in the lanes first: each spot there has its minute worked
    // out already, where `on_board` works out every visit's on the way to
    // it. A visit no lane draws (cancelled, or filtered out) is found after
    // them, among all the board's visits.
    let after_visit = |id| {
        let laid_out = rows.iter().flat_map(|(_, spots, _)| spots).chain(&laid.lanes.queue.0).copied();
        laid_out
            .chain(on_board(&week, from, to))
            .find(|s| week.visit(s.i).facts.id == id)
            .map(|s| Start::After { at: s.at, i: s.i })
    };
    let start = after
        .and_then(|id| after_carer(id).or_else(|| after_visit(id)))
        .unwrap_or_else(|| Start::At(now_on_board(store, &Timeline::new(from, days)).unwrap_or(0)));
    let Some(k) = next_of(&keys, start) else { return Ok(None) };
    let weights: Vec<u32> = stops.iter().map(|(_, _, n)| *n).collect();
    let (place, place_to, of) = places(&weights, k);
    let (spot, lane) = match stops[k].1 {
        Stop::Visit(spot, lane) => (spot, lane),
        Stop::Week(r) => {
            let carer = &rows[r].0;
            let said = carer.findings.iter().filter(|f| Some(f.severity) == severity_of(seek)).cloned().collect();
            return Ok(Some(Sought {
                placed: None,
                lane: Some(carer.carer_id),
                about_week: said,
                place,
                place_to,
                of,
            }));
        }
    };
    let placed = placed_alone(store, &week, from, to, spot)?;
    Ok(Some(Sought { placed: Some(placed), lane, about_week: Vec::new(), place, place_to, of }))
}

/// The places stop `k` counts among all the stops, each counting `weights`
/// places (its findings; at least one), and how many places in all.
pub fn places(weights: &[u32], k: usize) -> (u32, u32, u32) {
    let place = weights[..k].iter().map(|&w| w.max(1)).sum::<u32>() + 1;
    (place, place + weights[k].max(1) - 1, weights.iter().map(|&w| w.max(1)).sum())
}

/// The severity of the findings a kind of stop is for.
fn severity_of(seek: Seek) -> Option<Severity> {
    match seek {
        Seek::Waiting => None,
        Seek::Block => Some(Severity::Block),
        Seek::Warn => Some(Severity::Warn),
    }
}

#[cfg(test)]
mod tests {
    use super::{next_of, places, Start};

    const KEYS: [(u32, usize); 4] = [(450, 3), (450, 7), (1200, 1), (1260, 0)];

    #[test]
    fn from_a_minute_the_next_is_the_first_starting_then_or_later() {
        assert_eq!(next_of(&KEYS, Start::At(0)), Some(0));
        assert_eq!(next_of(&KEYS, Start::At(450)), Some(0), "one starting at that minute is next");
        assert_eq!(next_of(&KEYS, Start::At(451)), Some(2));
        assert_eq!(next_of(&KEYS, Start::At(1300)), Some(0), "past the last, it goes round to the first");
    }

    #[test]
    fn after_a_visit_shown_the_next_is_the_one_after_it_even_at_the_same_minute() {
        assert_eq!(next_of(&KEYS, Start::After { at: 450, i: 3 }), Some(1), "two at 07:30 are shown in turn");
        assert_eq!(next_of(&KEYS, Start::After { at: 450, i: 7 }), Some(2));
        assert_eq!(next_of(&KEYS, Start::After { at: 1260, i: 0 }), Some(0), "after the last comes the first");
        assert_eq!(
            next_of(&KEYS, Start::After { at: 600, i: 99 }),
            Some(2),
            "after a visit of another kind, the next of this kind after its time"
        );
    }

    #[test]
    fn a_stop_with_two_findings_counts_two_places_so_the_last_ends_at_the_count() {
        let weights = [2, 1, 2];
        assert_eq!(places(&weights, 0), (1, 2, 5), "the first visit's two warnings are 1-2 of 5");
        assert_eq!(places(&weights, 1), (3, 3, 5));
        assert_eq!(places(&weights, 2), (4, 5, 5), "the last ends at the count of them all");
        assert_eq!(places(&[1, 1], 1), (2, 2, 2), "a stop each: the places are the stops");
    }

    #[test]
    fn with_nothing_to_show_there_is_no_next() {
        assert_eq!(next_of(&[], Start::At(0)), None);
    }
}
