//! Allocating carers to visits: candidates ranked with their reasons, and
//! allocation through the write path. A rule that blocks refuses the
//! allocation; warnings need the coordinator's reason, which is recorded.

use super::allocations::live_allocations;
use super::allocations::{Allocation, RuleOverride};
use super::carry::carry_over_visit;
use super::publish::{carer_name, describe_visit, publication_on, tell, Telling};
use super::visits::{load_visit, Visit};
use super::week::{cached_week, monday_of};
use crate::access::Operation;
use crate::error::{Error, FieldError, Result};
use crate::rules::{added_travel, check_allocation, rank_carers, AddedTravel, Finding, Severity};
use crate::store::{Changes, Store};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

/// A carer who could take a visit, with what the rules say about it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Candidate {
    pub carer_id: Uuid,
    /// With their postcode when another carer has the same name.
    pub name: String,
    pub blocks: u32,
    pub warnings: u32,
    /// Visits to this client in the four weeks before: continuity of care.
    pub earlier_visits_to_client: u32,
    /// Travel the visit adds to the carer's day. `None` for a carer the
    /// rules rule out.
    pub travel: Option<AddedTravel>,
    /// Their work in the visit's week before it, as the hours rules count
    /// it (visits and the travel between them), against their contract.
    pub week_minutes: u32,
    pub contracted_hours: f64,
    /// Why: for a carer the rules rule out (`blocks` > 0), the blocks
    /// alone, and `warnings` is then 0; what else they would break is not
    /// weighed (allocating them checks everything).
    pub findings: Vec<Finding>,
}

pub(crate) fn current_allocation(conn: &Connection, visit: &Visit, slot: u8) -> Result<Option<Allocation>> {
    Ok(live_allocations(conn, visit)?.into_iter().find(|a| a.slot == slot))
}

/// Every current carer for `visit_id`, best first: those the rules allow,
/// then fewer warnings, then who has visited the client most (continuity),
/// then who it adds least travel to, then by name.
pub fn candidates(store: &Store, visit_id: Uuid) -> Result<Vec<Candidate>> {
    let conn = store.read();
    let visit = load_visit(conn, visit_id)?;
    let week = cached_week(store, monday_of(visit.local_date))?;
    let facts = &week.facts;
    let earlier = super::continuity::earlier_visits_by_carer(conn, visit.client_id, visit.local_date)?;
    let checked = week.index().visit(facts, visit_id);
    // Each carer's travel, as their findings, worked out on all the cores.
    use rayon::prelude::*;
    let mut list: Vec<Candidate> = rank_carers(facts, week.index(), visit_id, week.findings_by_carer())
        .into_par_iter()
        .filter_map(|(carer_id, findings)| facts.carers.get(&carer_id).map(|c| (c, findings)))
        .map(|(c, findings)| {
            let blocks = findings.iter().filter(|f| f.severity == Severity::Block).count() as u32;
            let travel = checked
                .filter(|_| blocks == 0)
                .map(|visit| added_travel(facts, c, &week.index().run(facts, c.carer.id), visit));
            Candidate {
                carer_id: c.carer.id,
                name: c.name.to_string(),
                blocks,
                warnings: findings.len() as u32 - blocks,
                earlier_visits_to_client: earlier.get(&c.carer.id).copied().unwrap_or(0),
                travel,
                week_minutes: week.work().get(&c.carer.id).map_or(0, |w| w.minutes()),
                contracted_hours: c.carer.contracted_hours,
                findings,
            }
        })
        .collect();
    let rank = |c: &Candidate| {
        (c.blocks, c.warnings, std::cmp::Reverse(c.earlier_visits_to_client), c.travel.map(|t| t.minutes))
    };
    list.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.name.cmp(&b.name)));
    Ok(list)
}

/// Puts `carer_id` in `slot` of the visit (replacing whoever was there).
/// Returns the warnings gone past, each recorded with `reason`.
pub fn allocate(store: &mut Store, visit_id: Uuid, slot: u8, carer_id: Uuid, reason: &str) -> Result<Vec<Finding>> {
    let visit = load_visit(store.read(), visit_id)?;
    if slot == 0 || slot > visit.carers_required {
        let message = if visit.carers_required == 1 {
            "This visit has one carer".to_string()
        } else {
            "Choose slot 1 or 2".into()
        };
        return Err(Error::Invalid(vec![FieldError { field: "slot".into(), message }]));
    }
    let other_slot = current_allocation(store.read(), &visit, 3 - slot)?;
    if other_slot.is_some_and(|a| a.carer_id == carer_id) {
        return Err(Error::Invalid(vec![FieldError {
            field: "carer_id".into(),
            message: "This carer already has the other slot of this double-up".into(),
        }]));
    }
    let week = cached_week(store, monday_of(visit.local_date))?;
    let facts = &week.facts;
    if !facts.carers.contains_key(&carer_id) {
        return Err(Error::not_found("Carer", carer_id));
    }
    let findings = check_allocation(facts, visit_id, carer_id);
    may_go_past(store, &findings, reason)?;
    // The week read above is dropped before the write, so it can be carried over it.
    drop(week);
    store.write(Operation::Allocate, |changes| put_carer(changes, &visit, slot, carer_id, &findings, reason))?;
    carry_over_visit(store, &visit);
    Ok(findings)
}

/// Whether a change the rules found `findings` against may go ahead with
/// `reason`: past warnings with a reason; past a block with a reason and the
/// role that may override blocks (a registered manager). Otherwise refused
/// with every finding, for the person to read. What is gone past is
/// recorded with the reason by the write (`put_carer`, `record_overrides`).
pub(crate) fn may_go_past(store: &Store, findings: &[Finding], reason: &str) -> Result<()> {
    let blocked = findings.iter().any(|f| f.severity == Severity::Block);
    let refused = !findings.is_empty()
        && (reason.trim().is_empty() || (blocked && !store.access().allows(Operation::OverrideBlock)));
    if refused {
        return Err(Error::Rules(findings.to_vec()));
    }
    Ok(())
}

/// Inside a write: `carer_id` into `slot` of the visit, whoever was there
/// taken off, everyone affected told, and each warning gone past recorded
/// with `reason`.
pub(crate) fn put_carer(
    changes: &mut Changes,
    visit: &Visit,
    slot: u8,
    carer_id: Uuid,
    findings: &[Finding],
    reason: &str,
) -> Result<()> {
    let previous = current_allocation(changes.read(), visit, slot)?;
    if let Some(previous) = &previous {
        changes.tombstone(previous)?;
    }
    // Only a published day's change is told, and only it needs the words:
    // giving a draft week its last carers is 17,000 allocations on the huge
    // agency, and reading each one's names took a tenth of it.
    if publication_on(changes.read(), visit.local_date)?.is_some() {
        let described = describe_visit(changes.read(), visit)?;
        let name = carer_name(changes.read(), carer_id)?;
        let mut telling = Telling {
            carers: vec![(carer_id, format!("Added: {described}"))],
            client: Some(format!("{name} will do the {described}")),
        };
        if let Some(previous) = previous {
            let previous_name = carer_name(changes.read(), previous.carer_id)?;
            telling.carers.push((previous.carer_id, format!("Taken off: {described}")));
            telling.client = Some(format!("{name} will do the {described}, instead of {previous_name}"));
        }
        tell(changes, visit, telling)?;
    }
    changes.insert(&Allocation {
        id: crate::ids::new_id(),
        visit_id: visit.id,
        slot,
        carer_id,
        client_id: visit.client_id,
    })?;
    for finding in findings {
        changes.insert(&RuleOverride {
            id: crate::ids::new_id(),
            visit_id: visit.id,
            carer_id: Some(carer_id),
            rule: finding.rule.as_str().to_string(),
            message: finding.message.to_string(),
            reason: reason.trim().to_string(),
            client_id: visit.client_id,
        })?;
    }
    Ok(())
}

/// Gives the visit to `carer_id`, choosing the slot: the one `moving_from`
/// had (a visit dragged from one carer to another), else the first empty
/// one. Refused when both are taken, since that would drop a carer unseen.
pub fn give(
    store: &mut Store,
    visit_id: Uuid,
    carer_id: Uuid,
    moving_from: Option<Uuid>,
    reason: &str,
) -> Result<Vec<Finding>> {
    let visit = load_visit(store.read(), visit_id)?;
    let carers = live_allocations(store.read(), &visit)?;
    let moved = moving_from.and_then(|from| carers.iter().find(|a| a.carer_id == from));
    let slot = match moved {
        Some(allocation) => allocation.slot,
        None => match (1..=visit.carers_required).find(|slot| !carers.iter().any(|a| a.slot == *slot)) {
            Some(slot) => slot,
            None => {
                return Err(Error::Conflict(format!(
                    "The {} already has its carers: take one of them off first",
                    describe_visit(store.read(), &visit)?
                )))
            }
        },
    };
    allocate(store, visit_id, slot, carer_id, reason)
}

/// Empties a slot: the visit goes back to the unallocated queue.
pub fn unallocate(store: &mut Store, visit_id: Uuid, slot: u8) -> Result<()> {
    let visit = load_visit(store.read(), visit_id)?;
    store.write(Operation::Allocate, |changes| {
        take_off(changes, &visit, slot, |name, described| {
            format!("{name} will no longer do the {described}; another carer is being found")
        })
        .map(|_| ())
    })?;
    carry_over_visit(store, &visit);
    Ok(())
}

/// Inside a write: empties `slot` of the visit and tells the carer and the
/// client (`client_hears` words it from the carer's name and the visit).
/// Returns the carer taken off.
pub(crate) fn take_off(
    changes: &mut Changes,
    visit: &Visit,
    slot: u8,
    client_hears: impl FnOnce(&str, &str) -> String,
) -> Result<Uuid> {
    let Some(allocation) = current_allocation(changes.read(), visit, slot)? else {
        return Err(Error::not_found("Allocation", format!("{} slot {slot}", visit.id)));
    };
    changes.tombstone(&allocation)?;
    let described = describe_visit(changes.read(), visit)?;
    let name = carer_name(changes.read(), allocation.carer_id)?;
    let telling = Telling {
        carers: vec![(allocation.carer_id, format!("Taken off: {described}"))],
        client: Some(client_hears(&name, &described)),
    };
    tell(changes, visit, telling)?;
    Ok(allocation.carer_id)
}
