//! A week's findings laid out by where they came from, so that after a
//! change to a few visits only their part is worked out again.
//!
//! `check_rota`'s findings are of two kinds: a visit's own (its rules, and
//! each allocated carer's fit for it), which depend on that visit, its
//! client and its carers alone; and a carer's run (clashes, travel, rest,
//! hours), which depends on every visit they have. Giving a visit to a
//! carer on the huge agency's week changes one visit's part and two runs,
//! where checking the whole week again takes half the board's time.

use super::{run_part, visit_part, CarerFacts, Finding, RotaFacts, VisitFacts};
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
    /// on its own, so the work is shared across the machine's cores. Each
    /// task lays its findings out in one list of its own, and the lists are
    /// joined: a list per visit was a fifth of the work on the huge week.
    pub fn new(facts: &RotaFacts) -> Checked {
        use rayon::prelude::*;
        // Enough work per task that handing it over costs little.
        const VISITS_PER_TASK: usize = 512;
        const CARERS_PER_TASK: usize = 16;
        let visits: Vec<Checked> = facts
            .visits
            .par_chunks(VISITS_PER_TASK)
            .map(|visits| {
                let mut part = Checked::default();
                for visit in visits {
                    part.check_visit(facts, visit);
                }
                part
            })
            .collect();
        let runs = super::runs(facts);
        let carers: Vec<&CarerFacts> = facts.carers.values().collect();
        let carers: Vec<Checked> = carers
            .par_chunks(CARERS_PER_TASK)
            .map(|carers| {
                let mut part = Checked::default();
                for carer in carers {
                    part.check_run(facts, carer, runs.get(&carer.carer.id).map_or(&[][..], Vec::as_slice));
                }
                part
            })
            .collect();
        let mut checked = Checked::default();
        checked.all.reserve(visits.iter().chain(&carers).map(|part| part.all.len()).sum());
        for part in visits.into_iter().chain(carers) {
            checked.append(part);
        }
        checked
    }

    /// The visit's part, laid out at the end.
    fn check_visit(&mut self, facts: &RotaFacts, visit: &VisitFacts) {
        let start = self.all.len();
        visit_part(facts, visit, &mut self.all);
        if self.all.len() > start {
            self.visits.push((visit.id, start..self.all.len()));
        }
    }

    /// The carer's run's part, laid out at the end.
    fn check_run(&mut self, facts: &RotaFacts, carer: &CarerFacts, run: &[&VisitFacts]) {
        let found = run_part(facts, carer, run);
        if !found.is_empty() {
            let at = self.lay_out(found);
            self.runs.push((carer.carer.id, at));
        }
    }

    /// `part`'s findings laid out after these, in its order.
    fn append(&mut self, part: Checked) {
        let shift = self.all.len();
        let moved = |(id, at): (Uuid, Range<usize>)| (id, at.start + shift..at.end + shift);
        self.visits.extend(part.visits.into_iter().map(moved));
        self.runs.extend(part.runs.into_iter().map(moved));
        self.all.extend(part.all);
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
            match visit_was.get(&visit.id) {
                _ if changed.contains(&visit.id) => self.check_visit(facts, visit),
                Some(at) => {
                    let kept = self.lay_out(was.all[at.clone()].iter().cloned());
                    self.visits.push((visit.id, kept));
                }
                None => {}
            }
        }
        // The reached carers' runs (a plan reaches hundreds of carers).
        let reached_runs = super::runs_of(facts, carers);
        for (id, carer) in &facts.carers {
            match run_was.get(id) {
                _ if reached_runs.contains_key(id) => self.check_run(facts, carer, &reached_runs[id]),
                Some(at) => {
                    let kept = self.lay_out(was.all[at.clone()].iter().cloned());
                    self.runs.push((*id, kept));
                }
                None => {}
            }
        }
    }

    /// Puts `found` at the end of `all`; where it lies.
    fn lay_out(&mut self, found: impl IntoIterator<Item = Finding>) -> Range<usize> {
        let start = self.all.len();
        self.all.extend(found);
        start..self.all.len()
    }
}
