//! Continuity of care (product brief §2): how many different carers a client
//! saw over a period, and how much of their care came from the carers they
//! prefer. Fewer faces is better care; a coordinator watches this number.
//! Pure: the caller gathers the visits.

use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

/// How many visits one carer made to the client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CarerVisits {
    pub carer_id: Uuid,
    pub visits: u32,
    pub preferred: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Continuity {
    /// Visits in the period that were not cancelled.
    pub visits: u32,
    /// Of those, visits with no carer at all yet.
    pub unallocated: u32,
    /// Different carers seen (both carers of a double-up count).
    pub distinct_carers: u32,
    /// Share of carer attendances by the client's preferred carers, in
    /// whole percent; `None` when the client names no preferred carer.
    pub preferred_percent: Option<u32>,
    /// Most visits first.
    pub by_carer: Vec<CarerVisits>,
}

/// Continuity over `visits`, each given as the carers allocated to it.
pub fn continuity(visits: &[Vec<Uuid>], preferred: &[Uuid]) -> Continuity {
    let mut by_carer: Vec<CarerVisits> = Vec::new();
    for carer_id in visits.iter().flatten() {
        match by_carer.iter_mut().find(|c| c.carer_id == *carer_id) {
            Some(entry) => entry.visits += 1,
            None => {
                by_carer.push(CarerVisits { carer_id: *carer_id, visits: 1, preferred: preferred.contains(carer_id) })
            }
        }
    }
    by_carer
        .sort_by(|a, b| b.visits.cmp(&a.visits).then(b.preferred.cmp(&a.preferred)).then(a.carer_id.cmp(&b.carer_id)));
    let attendances: u32 = by_carer.iter().map(|c| c.visits).sum();
    let by_preferred: u32 = by_carer.iter().filter(|c| c.preferred).map(|c| c.visits).sum();
    Continuity {
        visits: visits.len() as u32,
        unallocated: visits.iter().filter(|v| v.is_empty()).count() as u32,
        distinct_carers: by_carer.len() as u32,
        preferred_percent: (!preferred.is_empty() && attendances > 0)
            .then(|| (f64::from(by_preferred) * 100.0 / f64::from(attendances)).round() as u32),
        by_carer,
    }
}
