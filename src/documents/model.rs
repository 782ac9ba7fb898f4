//! The shape every printed document shares. A run sheet, a handover sheet
//! and the emergency pack each decide their content once, as a `Document`;
//! the screen (and the browser's print) and the PDF renderer only lay it out.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A document as produced at one moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Document {
    /// What it is, said on every page: "Run sheets", "Handover sheet".
    pub kind: String,
    /// The period or moment it covers: "Tue 1 Dec 2026".
    pub title: String,
    /// "Produced Tue 1 Dec 2026 at 16:05 by Sam Manager (sam)".
    pub produced: String,
    /// Each part starts on a new page (one carer's run sheet is one part).
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Part {
    pub heading: String,
    /// A line under the heading: a phone number, a summary of the day.
    pub subheading: String,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Section {
    pub heading: String,
    /// Said instead of the entries when there are none ("Nobody is absent."),
    /// so an empty section reads as checked rather than forgotten.
    pub empty: String,
    pub entries: Vec<Entry>,
}

/// One thing on the page — a visit, an absence, a call. Never split across
/// two pages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Entry {
    /// The left column: "07:30–08:00", "From 30 Nov".
    pub when: String,
    pub title: String,
    pub lines: Vec<String>,
    /// Marked out on the page: a time-critical call, an overdue notification.
    pub emphasis: bool,
}

impl Entry {
    pub fn new(when: impl Into<String>, title: impl Into<String>) -> Self {
        Entry { when: when.into(), title: title.into(), lines: Vec::new(), emphasis: false }
    }

    /// Adds a line when it has something to say.
    pub fn line(mut self, text: impl Into<String>) -> Self {
        let text = text.into();
        if !text.trim().is_empty() {
            self.lines.push(text);
        }
        self
    }

    pub fn emphasised(mut self, yes: bool) -> Self {
        self.emphasis = yes;
        self
    }
}

impl Section {
    pub fn new(heading: impl Into<String>, empty: impl Into<String>, entries: Vec<Entry>) -> Self {
        Section { heading: heading.into(), empty: empty.into(), entries }
    }
}

/// A document with its A4 pages, as the screen shows it and the printer
/// prints it; the same pages the PDF has.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Printable {
    pub document: Document,
    pub pages: Vec<super::layout::Page>,
}

impl From<Document> for Printable {
    fn from(document: Document) -> Self {
        let pages = super::layout::lay_out(&document);
        Printable { document, pages }
    }
}
