//! A week's findings laid out by where they came from, so that after a
//! change to a few visits only their part is worked out again.
//!
//! `check_rota`'s findings are of two kinds: a visit's own (its rules, and
//! each allocated carer's fit for it), which depend on that visit, its
//! client and its carers alone; and a carer's run (clashes, travel, rest,
//! hours), which depends on every visit they have. Giving a visit to a
//! carer on the huge agency's week changes one visit's part and two runs,
//! where checking the whole week again takes half the board's time.

use super::{run_part, visit_part, Finding, RotaFacts};
use crate::ids::IdMap;
use rustc_hash::FxHashSet;
use std::ops::Range;
use uuid::Uuid;

/// The findings of `check_rota`, in its order, and where each visit's and
/// each carer's part of them lies.
#[derive(Debug, Default)]
pub struct Checked {
    /// The visits' parts in the week's order, then the runs' in the order
    /// of the facts' carers.
    all: Vec<Finding>,
    /// Each visit with findings, and where they lie in `all`.
    visits: Vec<(Uuid, Range<usize>)>,
    /// Each carer whose run has findings, and where they lie.
    runs: Vec<(Uuid, Range<usize>)>,
}

impl Checked {
    /// Every rule over the week: each visit and each carer's run is checked
    /// on its own, so the work is shared across the machine's cores.
    pub fn new(facts: &RotaFacts) -> Checked {
        use rayon::prelude::*;
        // Enough work per task that handing it over costs little.
        const VISITS_PER_TASK: usize = 512;
        let visits: Vec<(Uuid, Vec<Finding>)> = facts
            .visits
            .par_iter()
            .with_min_len(VISITS_PER_TASK)
            .map(|visit| (visit.id, visit_part(facts, visit)))
            .filter(|(_, found)| !found.is_empty())
            .collect();
        let runs = super::runs(facts);
        let carers: Vec<_> = facts.carers.values().collect();
        let runs: Vec<(Uuid, Vec<Finding>)> = carers
            .par_iter()
            .with_min_len(16)
            .map(|carer| {
                let run = runs.get(&carer.carer.id).map_or(&[][..], Vec::as_slice);
                (carer.carer.id, run_part(facts, carer, run))
            })
            .filter(|(_, found)| !found.is_empty())
            .collect();
        let mut checked = Checked::default();
        checked.all.reserve(visits.iter().chain(&runs).map(|(_, found)| found.len()).sum());
        checked.visits = visits.into_iter().map(|(id, found)| (id, checked.lay_out(found))).collect();
        checked.runs = runs.into_iter().map(|(id, found)| (id, checked.lay_out(found))).collect();
        checked
    }

    pub fn all(&self) -> &[Finding] {
        &self.all
    }

    pub fn into_all(self) -> Vec<Finding> {
        self.all
    }

    /// After `visits` (by id) and the runs of `carers` changed in `facts`:
    /// their parts are worked out again, the rest kept as they were. A visit
    /// no longer checked (cancelled) has no part; one checked again has.
    pub fn recheck(&mut self, facts: &RotaFacts, visits: &[Uuid], carers: &[Uuid]) {
        // An applied plan changes hundreds of visits of the week's thousands.
        let changed: FxHashSet<Uuid> = visits.iter().copied().collect();
        let was = std::mem::take(self);
        let visit_was: IdMap<Range<usize>> = was.visits.into_iter().collect();
        let run_was: IdMap<Range<usize>> = was.runs.into_iter().collect();
        self.all.reserve(was.all.len());
        for visit in &facts.visits {
            let found = match visit_was.get(&visit.id) {
                _ if changed.contains(&visit.id) => visit_part(facts, visit),
                Some(at) => was.all[at.clone()].to_vec(),
                None => continue,
            };
            if !found.is_empty() {
                let at = self.lay_out(found);
                self.visits.push((visit.id, at));
            }
        }
        // The reached carers' runs (a plan reaches hundreds of carers).
        let reached_runs = super::runs_of(facts, carers);
        for (id, carer) in &facts.carers {
            let found = match run_was.get(id) {
                _ if reached_runs.contains_key(id) => run_part(facts, carer, &reached_runs[id]),
                Some(at) => was.all[at.clone()].to_vec(),
                None => continue,
            };
            if !found.is_empty() {
                let at = self.lay_out(found);
                self.runs.push((*id, at));
            }
        }
    }

    /// Puts `found` at the end of `all`; where it lies.
    fn lay_out(&mut self, found: Vec<Finding>) -> Range<usize> {
        let start = self.all.len();
        self.all.extend(found);
        start..self.all.len()
    }
}
