//! Moving about the board from the keyboard: from the visit the keyboard is
//! on to the next along its lane, to the first or last of the lane, or up
//! and down to the nearest visit in time of the next lane that has any.
//! The grid draws only the rows near the screen, and the unallocated lane
//! only a few of its rows; the huge agency's week has 1,500 carers. The
//! laid-out lanes are here, so the next visit is found here, wherever it
//! is, and the grid scrolls to it.

use super::board::board_span;
use super::board_view::{lanes, placed_alone, BoardFilters, PlacedVisit, Spot};
use super::week::{cached_week, monday_of};
use crate::error::Result;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// A lane of the board: -1 for the unallocated lane at the top, else the
/// index of a carer's row, as the board's rows are listed.
pub type LaneIndex = i32;

/// Where to go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(tag = "go", rename_all = "snake_case")]
#[ts(export)]
pub enum Go {
    /// The visit before (`later` false) or after this one in its lane, by time.
    Along { lane: LaneIndex, visit: Uuid, later: bool },
    /// The lane's first visit, or its last.
    End { lane: LaneIndex, last: bool },
    /// The first lane from `from` (itself included) down or up the board
    /// that has a visit, and its visit nearest `minute` of the timeline.
    /// Up and down arrows start from the next lane; a page key a
    /// screenful away; the board's first and last visits from its ends.
    Across { from: LaneIndex, down: bool, minute: u32 },
}

/// The visit gone to, as the grid draws it in its row, and its lane.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Reached {
    pub placed: PlacedVisit,
    pub lane: LaneIndex,
    /// The carer whose row it is; none for the unallocated lane.
    pub carer: Option<Uuid>,
}

/// The visit `go` reaches on the board of `day` (alone or its week) with
/// the filters; none when there is nothing that way (the end of the lane,
/// or no lane with a visit).
pub fn board_near(
    store: &crate::Store,
    day: NaiveDate,
    days: u8,
    filters: &BoardFilters,
    go: Go,
) -> Result<Option<Reached>> {
    let (from, to) = board_span(day, days)?;
    let week = cached_week(store, monday_of(from))?;
    let laid = lanes(&week, from, to, filters);
    let carers = &laid.lanes.carers;
    let lane = |k: LaneIndex| -> &[Spot] {
        match k {
            -1 => &laid.lanes.queue.0,
            k => carers.get(k as usize).map_or(&[], |(_, spots, _)| spots),
        }
    };
    let minutes = |s: &Spot| week.visit(s.i).facts.duration_min;
    let found = match go {
        Go::Along { lane: k, visit, later } => {
            let spots = lane(k);
            let here = spots.iter().position(|s| week.visit(s.i).facts.id == visit);
            here.and_then(|i| if later { Some(i + 1) } else { i.checked_sub(1) })
                .and_then(|i| spots.get(i))
                .map(|s| (k, s))
        }
        Go::End { lane: k, last } => {
            let spots = lane(k);
            if last { spots.last() } else { spots.first() }.map(|s| (k, s))
        }
        Go::Across { from: start, down, minute } => {
            let count = carers.len() as LaneIndex;
            first_lane_with(start, down, count, |k| !lane(k).is_empty())
                .and_then(|k| nearest(lane(k), minute, minutes).map(|s| (k, s)))
        }
    };
    let Some((k, spot)) = found else { return Ok(None) };
    let placed = placed_alone(store, &week, from, to, spot)?;
    let carer = usize::try_from(k).ok().and_then(|k| carers.get(k)).map(|(c, _, _)| c.carer_id);
    Ok(Some(Reached { placed, lane: k, carer }))
}

/// The first lane from `start` (taken into the board's lanes, -1 to
/// `count` - 1) going down or up that `has` a visit.
pub fn first_lane_with(
    start: LaneIndex,
    down: bool,
    count: LaneIndex,
    has: impl Fn(LaneIndex) -> bool,
) -> Option<LaneIndex> {
    let start = start.clamp(-1, count - 1);
    if down {
        (start..count).find(|&k| has(k))
    } else {
        (-1..=start).rev().find(|&k| has(k))
    }
}

/// The visit of a lane whose middle is nearest `minute` (the earlier of two
/// as near): the one beside, as the eye goes straight up or down.
fn nearest(spots: &[Spot], minute: u32, minutes: impl Fn(&Spot) -> u32) -> Option<&Spot> {
    spots.iter().min_by_key(|s| (2 * s.at + minutes(s)).abs_diff(2 * minute))
}

#[cfg(test)]
mod tests {
    use super::{first_lane_with, nearest};
    use crate::rota::board_view::Spot;

    #[test]
    fn the_next_lane_with_a_visit_is_found_past_empty_lanes_either_way() {
        // The unallocated lane (-1) and carers 0 to 5; carers 1, 2 and 4 have nothing.
        let has = |k: i32| ![1, 2, 4].contains(&k);
        assert_eq!(first_lane_with(1, true, 6, has), Some(3), "down from an empty lane to the next with visits");
        assert_eq!(first_lane_with(2, false, 6, has), Some(0));
        assert_eq!(first_lane_with(0, false, 6, has), Some(0), "the lane it starts from counts");
        assert_eq!(first_lane_with(-5, false, 6, has), Some(-1), "above the top is the unallocated lane");
        assert_eq!(first_lane_with(40, false, 6, has), Some(5), "a page past the bottom is the last lane");
        assert_eq!(first_lane_with(6, true, 6, has), Some(5), "the last lane, when a page down starts beyond it");
        assert_eq!(first_lane_with(4, true, 5, has), None, "nothing below the last lane with visits");
    }

    #[test]
    fn the_visit_nearest_in_time_is_the_one_whose_middle_is_closest() {
        // Half-hour calls at 07:00, 08:00 and 10:00.
        let spots = [Spot::new(0, 0, 420, 420), Spot::new(1, 0, 480, 480), Spot::new(2, 0, 600, 600)];
        let thirty = |_: &Spot| 30;
        assert_eq!(nearest(&spots, 440, thirty).map(|s| s.i), Some(0), "07:20 is inside the 07:00 call");
        assert_eq!(
            nearest(&spots, 540, thirty).map(|s| s.i),
            Some(1),
            "09:00 is nearer 08:15, the 08:00 call's middle, than 10:15"
        );
        assert_eq!(nearest(&spots, 0, thirty).map(|s| s.i), Some(0));
        assert_eq!(nearest(&spots, 465, thirty).map(|s| s.i), Some(0), "as near to both middles, the earlier");
        assert_eq!(nearest(&[], 470, thirty).map(|s| s.i), None);
    }
}
