//! The rota (product brief §2): concrete visits rolled forward from care
//! packages. `plan` is pure (which visits a package makes, and at what
//! instant); `roll_forward` writes them through the write path.

pub mod allocate;
pub mod allocations;
pub mod auto;
pub mod board;
pub mod board_view;
mod carry;
pub mod continuity;
pub mod edit;
pub mod follow;
pub mod made_ahead;
pub mod near;
pub mod plan;
pub mod publish;
mod read_week;
pub mod reallocate;
pub mod roll_forward;
pub mod same_carers;
pub mod seek;
pub mod timeline;
pub mod visits;
pub mod week;
pub(crate) mod week_travel;

pub use allocate::{allocate, candidates, give, unallocate, Candidate};
pub use allocations::{gone_past, GonePast};
pub use board::{board, Board, BoardCarer, BoardClient, BoardVisit, DaySpan, SlotCarer, WeekFinding};
pub use board_view::{
    board_part, board_view, board_visit, BoardFilters, BoardPart, BoardRow, BoardView, CarerLane, PlacedVisit,
    QueueLane,
};
pub use continuity::{client_continuity, continuity_report, recent_period, ClientContinuity};
pub use edit::{
    cancel_visit, cancel_visits, edit_visit, reinstate_visit, visit_form, EditOutcome, EditScope, VisitEdit,
};
pub use follow::Followed;
pub use made_ahead::{last_made, made_ahead, MadeAhead};
pub use near::{board_near, Go, Reached};
pub use plan::{plan_visits, receives_care_on, PlannedVisit};
pub use publish::{mark_told, publication_on, publish, untold, Publication, TellHow, ToTellRow};
pub use roll_forward::{roll_forward, roll_forward_stoppable, RollProgress, RollSummary, ROLLED_VISITS};
pub use same_carers::{give_same_carers, give_same_carers_telling, roll_forward_then_give, RollOutcome, SameCarers};
pub use seek::{board_seek, Seek, Sought};
pub use timeline::{ClockChange, HourMark, Timeline};
pub use visits::{Visit, VisitStatus, LONGEST_VISIT_MIN};
