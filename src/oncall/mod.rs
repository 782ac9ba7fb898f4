//! On call (product brief §5–§6): the roster of who takes the calls out of
//! hours, whether every working hour is covered, and the log of calls.
//!
//! `roster` is pure; `service` and `calls` read and write the store.

pub mod calls;
pub mod roster;
pub mod service;

pub use calls::{
    add_to_call, call_entry, calls_between, log_call, open_follow_ups, AddendumKind, CallEntry, CallInput,
};
pub use roster::{coverage_gaps, merge, uncovered, CoverageGap, OnCallPattern, OnCallShift, Tier};
pub use service::{
    cover_shift, remove_shift, roster, save_pattern, save_shift, shift_form, summary, swap_shifts, OnCallSummary,
    PatternInput, Roster, ShiftInput,
};
