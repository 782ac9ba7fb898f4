//! The rota (product brief §2): concrete visits rolled forward from care
//! packages. `plan` is pure (which visits a package makes, and at what
//! instant); `roll_forward` writes them through the write path.

pub mod allocate;
pub mod allocations;
pub mod day;
pub mod plan;
pub mod roll_forward;
pub mod visits;
pub mod week;

pub use allocate::{allocate, candidates, unallocate, Candidate};
pub use day::{visits_on, SlotCarer, VisitRow};
pub use plan::{plan_visits, receives_care_on, PlannedVisit};
pub use roll_forward::{roll_forward, RollProgress, RollSummary};
pub use visits::{Visit, VisitStatus};
