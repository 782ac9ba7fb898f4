//! Printed documents: carers' run sheets, the rota by area, the handover
//! sheet and the emergency pack. Each is decided once as a `model::Document` by a pure
//! builder from facts `gather` reads; the screen shows that model (and the
//! browser prints it), and `pdf` writes it as an A4 file.

pub mod area_rota;
pub mod facts;
pub mod gather;
pub mod handover;
pub mod handovers;
pub mod layout;
pub mod model;
pub mod pack;
pub mod pdf;
pub mod refresh;
pub mod runsheet;
pub mod service;

pub use model::{Document, Entry, Part, Printable, Section};
pub use pdf::write_pdf;
