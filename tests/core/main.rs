//! Integration tests of the Caredesk core: one test binary, in-memory or
//! temp-file databases, never the user's data folder.

mod access;
mod allocate;
mod auto_schedule;
mod backups;
mod board;
mod board_view;
mod cli;
mod continuity;
mod crash;
mod demo_agency;
mod documents;
mod encryption;
mod export;
mod follow;
mod hours_before;
mod import;
mod incidents;
mod monitoring;
mod on_call;
mod people;
mod publishing;
mod risk;
mod risk_subjects;
mod roll_forward;
mod rules;
mod same_carers;
mod schedule;
mod store;
mod support;
mod travel;
mod travel_settings;
mod visit_changes;
mod weekly_rest;
mod working_time;
mod write_path;
