//! Laying a `Document` out on A4 pages for the PDF renderer: words wrapped
//! by the real widths of the PDF's built-in Helvetica, every page headed
//! with what the document is, "Page N of M" at the foot, each part starting
//! on a new page, and an entry moved whole to the next page rather than cut
//! in two. Pure: measures and places, writes nothing.

use super::model::{Document, Entry};
use pdf_canvas::{BuiltinFont, FontMetrics, FontSource};
use serde::Serialize;
use std::sync::LazyLock;
use ts_rs::TS;

pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
const LEFT: f32 = 42.0;
const RIGHT: f32 = PAGE_WIDTH - 42.0;
/// The body runs between the header rule and the footer.
const BODY_TOP: f32 = PAGE_HEIGHT - 64.0;
const BODY_BOTTOM: f32 = 54.0;
const WHEN_WIDTH: f32 = 92.0;
const TEXT_LEFT: f32 = LEFT + WHEN_WIDTH + 6.0;

/// Something drawn on a page, in points; y is from the page's foot (for
/// text, its baseline). The screen draws the same pages as the PDF.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum Op {
    /// `width` is the text's measured width, so a screen whose fonts differ
    /// from Helvetica still fits each line where the PDF puts it.
    Text { x: f32, y: f32, bold: bool, size: f32, width: f32, text: String },
    /// A horizontal line; `gray` 0 is black.
    Rule { x1: f32, x2: f32, y: f32, width: f32, gray: u8 },
    /// A filled black bar down the side of an emphasised entry.
    Bar { x: f32, y: f32, width: f32, height: f32 },
}

#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(export)]
pub struct Page {
    #[ts(type = "number")]
    pub part: usize,
    pub ops: Vec<Op>,
    /// The entries placed on this page, as (part, section, entry).
    #[serde(skip)]
    #[ts(skip)]
    pub entries: Vec<(usize, usize, usize)>,
}

/// What Helvetica's encoding cannot show, said in characters it can.
pub fn printable(text: &str) -> String {
    text.replace('→', "to").replace('⚠', "!").replace('✓', "done").replace(['“', '”'], "\"").replace('✗', "x")
}

/// Each font's widths (pdf-canvas carries the standard fonts' AFM tables),
/// read once: its own `get_width` copies the table on every call, which
/// made laying out a day's run sheets ten times slower.
static METRICS: LazyLock<[FontMetrics; 2]> =
    LazyLock::new(|| [BuiltinFont::Helvetica.get_metrics(), BuiltinFont::Helvetica_Bold.get_metrics()]);

/// `text` as WinAnsi bytes, the encoding the PDF's fonts use; what it
/// lacks was replaced by `printable`, and anything left is dropped.
pub fn win_ansi(text: &str) -> Vec<u8> {
    let encoding = BuiltinFont::Helvetica.get_encoding();
    text.chars().filter_map(|c| encoding.encode_char(c)).collect()
}

/// The width of `text` in points, as Helvetica draws it.
pub fn width(text: &str, bold: bool, size: f32) -> f32 {
    let metrics = &METRICS[usize::from(bold)];
    let units: u32 = win_ansi(text).iter().map(|&code| u32::from(metrics.get_width(code).unwrap_or(100))).sum();
    size * units as f32 / 1000.0
}

/// Greedy word wrap to `max` points; a word longer than the line is cut.
pub fn wrap(text: &str, bold: bool, size: f32, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in printable(text).split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
            if width(&candidate, bold, size) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let mut rest = word.to_string();
            while width(&rest, bold, size) > max {
                let mut cut = rest.len();
                while cut > 1 && width(&rest[..cut], bold, size) > max {
                    cut = rest[..cut].char_indices().last().map(|(i, _)| i).unwrap_or(1);
                }
                lines.push(rest[..cut].to_string());
                rest = rest[cut..].to_string();
            }
            line = rest;
        }
        lines.push(line);
    }
    lines
}

fn text_op(x: f32, y: f32, bold: bool, size: f32, text: &str) -> Op {
    let text = printable(text);
    Op::Text { x, y, bold, size, width: width(&text, bold, size), text }
}

/// One wrapped row of an entry.
struct Row {
    text: String,
    bold: bool,
    size: f32,
    height: f32,
}

fn entry_rows(entry: &Entry) -> Vec<Row> {
    let text_width = RIGHT - TEXT_LEFT;
    let mut rows: Vec<Row> = wrap(&entry.title, true, 10.0, text_width)
        .into_iter()
        .map(|text| Row { text, bold: true, size: 10.0, height: 12.5 })
        .collect();
    for line in &entry.lines {
        rows.extend(wrap(line, false, 9.0, text_width).into_iter().map(|text| Row {
            text,
            bold: false,
            size: 9.0,
            height: 11.5,
        }));
    }
    rows
}

const ENTRY_GAP: f32 = 7.0;
const SECTION_HEAD: f32 = 24.0;

struct Pager<'a> {
    doc: &'a Document,
    pages: Vec<Page>,
    y: f32,
}

impl Pager<'_> {
    fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a page is started before anything is placed")
    }

    fn text(&mut self, x: f32, bold: bool, size: f32, text: &str) {
        let y = self.y;
        self.page().ops.push(text_op(x, y, bold, size, text));
    }

    fn new_page(&mut self, part: usize, continued: bool) {
        self.pages.push(Page { part, ..Page::default() });
        self.y = BODY_TOP;
        let heading = &self.doc.parts[part].heading;
        if continued {
            self.y -= 12.0;
            self.text(LEFT, true, 11.0, &format!("{heading} (continued)"));
            self.y -= 16.0;
        }
    }

    fn room(&self) -> f32 {
        self.y - BODY_BOTTOM
    }

    fn ensure(&mut self, part: usize, needed: f32) {
        if needed > self.room() && self.y < BODY_TOP - 40.0 {
            self.new_page(part, true);
        }
    }

    fn section_heading(&mut self, text: &str) {
        self.y -= 15.0;
        self.text(LEFT, true, 11.5, text);
        self.y -= 5.0;
        let y = self.y;
        self.page().ops.push(Op::Rule { x1: LEFT, x2: RIGHT, y, width: 0.8, gray: 0 });
        self.y -= 4.0;
    }

    /// Places an entry whole on this page or the next; one taller than a
    /// page carries on over the break.
    fn entry(&mut self, part: usize, at: (usize, usize, usize), entry: &Entry) {
        let rows = entry_rows(entry);
        let height: f32 = rows.iter().map(|r| r.height).sum::<f32>() + ENTRY_GAP;
        self.ensure(part, height);
        let top = self.y;
        self.page().entries.push(at);
        let when = wrap(&entry.when, entry.emphasis, 9.5, WHEN_WIDTH);
        for (i, row) in rows.iter().enumerate() {
            if row.height > self.room() {
                self.new_page(part, true);
                self.page().entries.push(at);
            }
            self.y -= row.height;
            if let Some(w) = when.get(i) {
                self.text(LEFT, entry.emphasis, 9.5, w);
            }
            self.text(TEXT_LEFT, row.bold, row.size, &row.text);
        }
        if entry.emphasis && self.y < top {
            let y = self.y - 2.0;
            self.page().ops.push(Op::Bar { x: LEFT - 7.0, y, width: 2.5, height: (top - y).min(BODY_TOP - y) });
        }
        self.y -= ENTRY_GAP / 2.0;
        let y = self.y;
        self.page().ops.push(Op::Rule { x1: LEFT, x2: RIGHT, y, width: 0.3, gray: 170 });
        self.y -= ENTRY_GAP / 2.0;
    }
}

/// The pages of a document, headers and footers included.
pub fn lay_out(doc: &Document) -> Vec<Page> {
    let mut pager = Pager { doc, pages: Vec::new(), y: BODY_TOP };
    for (p, part) in doc.parts.iter().enumerate() {
        pager.new_page(p, false);
        for (i, line) in wrap(&part.heading, true, 16.0, RIGHT - LEFT).iter().enumerate() {
            pager.y -= if i == 0 { 16.0 } else { 19.0 };
            pager.text(LEFT, true, 16.0, line);
        }
        for line in wrap(&part.subheading, false, 10.0, RIGHT - LEFT) {
            pager.y -= 14.0;
            pager.text(LEFT, false, 10.0, &line);
        }
        pager.y -= 4.0;
        for (s, section) in part.sections.iter().enumerate() {
            let first =
                section.entries.first().map(|e| entry_rows(e).iter().map(|r| r.height).sum::<f32>()).unwrap_or(14.0);
            pager.ensure(p, SECTION_HEAD + first + ENTRY_GAP);
            pager.section_heading(&section.heading);
            if section.entries.is_empty() {
                pager.y -= 13.0;
                pager.text(TEXT_LEFT, false, 9.5, &section.empty);
                pager.y -= 4.0;
            }
            for (e, entry) in section.entries.iter().enumerate() {
                pager.entry(p, (p, s, e), entry);
            }
        }
    }
    if pager.pages.is_empty() {
        pager.pages.push(Page::default());
    }
    let total = pager.pages.len();
    for (n, page) in pager.pages.iter_mut().enumerate() {
        let part = doc.parts.get(page.part).map(|p| p.heading.as_str()).unwrap_or("");
        let title = printable(&doc.title);
        let title_width = width(&title, false, 9.0);
        // The part's name goes beside the kind when it fits before the title.
        let with_part = format!("{} · {part}", doc.kind);
        let fits = width(&with_part, true, 9.0) + 12.0 < RIGHT - LEFT - title_width;
        let head = if part.is_empty() || !fits { doc.kind.clone() } else { with_part };
        let top = PAGE_HEIGHT - 40.0;
        page.ops.push(text_op(LEFT, top, true, 9.0, &head));
        page.ops.push(text_op(RIGHT - title_width, top, false, 9.0, &title));
        page.ops.push(Op::Rule { x1: LEFT, x2: RIGHT, y: top - 6.0, width: 1.0, gray: 0 });
        page.ops.push(Op::Rule { x1: LEFT, x2: RIGHT, y: 44.0, width: 0.5, gray: 0 });
        page.ops.push(text_op(LEFT, 32.0, false, 8.0, &doc.produced));
        let number = format!("Page {} of {total}", n + 1);
        page.ops.push(text_op(RIGHT - width(&number, true, 9.0), 32.0, true, 9.0, &number));
    }
    pager.pages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::model::{Part, Section};

    fn doc(entries: usize, lines: usize) -> Document {
        let entry = |i: usize| {
            let mut e = Entry::new(format!("{:02}:00–{:02}:30", i % 24, i % 24), format!("Visit number {i}"));
            for l in 0..lines {
                e = e.line(format!(
                    "Line {l} of the visit numbered {i}, with words enough to wrap once it is long enough to need it"
                ));
            }
            e
        };
        Document {
            kind: "Run sheets".into(),
            title: "Tue 1 Dec 2026".into(),
            produced: "Produced by a test".into(),
            parts: vec![Part {
                heading: "Alex Carer".into(),
                subheading: "07700 900123".into(),
                sections: vec![Section::new("Visits", "No visits.", (0..entries).map(entry).collect())],
            }],
        }
    }

    #[test]
    fn widths_are_helveticas_own() {
        for (text, bold) in [("Mrs Joyce Wood · Morning call", true), ("Getting in: key safe 1234, £5 — café", false)]
        {
            let font = if bold { BuiltinFont::Helvetica_Bold } else { BuiltinFont::Helvetica };
            assert_eq!(width(text, bold, 10.0), font.get_width(10.0, text), "{text}");
        }
    }

    #[test]
    fn long_lines_wrap_within_the_column_and_keep_every_word() {
        let text =
            "Key safe by the back door, code given by phone; the dog is shut in the kitchen before anyone arrives";
        let lines = wrap(text, false, 9.0, 150.0);
        assert!(lines.len() > 2, "expected several lines, got {lines:?}");
        assert!(lines.iter().all(|l| width(l, false, 9.0) <= 150.0), "a line is wider than the column: {lines:?}");
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn an_entry_is_never_cut_across_a_page_break() {
        let pages = lay_out(&doc(60, 3));
        assert!(pages.len() >= 3, "sixty visits of four lines should need several pages, got {}", pages.len());
        let mut seen = std::collections::HashSet::new();
        for page in &pages {
            for entry in &page.entries {
                assert!(seen.insert(*entry), "entry {entry:?} is on two pages");
            }
        }
        assert_eq!(seen.len(), 60, "every entry is placed");
    }

    #[test]
    fn every_page_says_what_it_is_and_its_number_of_the_total() {
        let pages = lay_out(&doc(60, 3));
        let total = pages.len();
        for (n, page) in pages.iter().enumerate() {
            let texts: Vec<&str> = page
                .ops
                .iter()
                .filter_map(|op| if let Op::Text { text, .. } = op { Some(text.as_str()) } else { None })
                .collect();
            assert!(texts.contains(&"Run sheets · Alex Carer"), "page {} lacks its header: {texts:?}", n + 1);
            assert!(texts.contains(&format!("Page {} of {total}", n + 1).as_str()), "page {} lacks its number", n + 1);
            if n > 0 {
                assert!(texts.contains(&"Alex Carer (continued)"), "page {} does not say it continues", n + 1);
            }
        }
    }

    #[test]
    fn no_line_runs_past_the_right_margin_and_the_header_never_overlaps_the_title() {
        let mut d = doc(3, 1);
        d.parts[0].heading = "Office to on call: Tue 1 Dec 2026 at 17:00 until Wed 2 Dec 2026 at 08:00".into();
        d.title = "Office to on call · Tue 1 Dec 2026 at 17:00".into();
        for page in lay_out(&d) {
            let mut header = Vec::new();
            for op in &page.ops {
                if let Op::Text { x, y, width, text, .. } = op {
                    assert!(x + width <= RIGHT + 0.01, "{text:?} ends at {} past the margin {RIGHT}", x + width);
                    if *y == PAGE_HEIGHT - 40.0 {
                        header.push((*x, x + width));
                    }
                }
            }
            header.sort_by(|a, b| a.0.total_cmp(&b.0));
            assert!(header.windows(2).all(|w| w[0].1 < w[1].0), "header texts overlap: {header:?}");
        }
    }

    #[test]
    fn nothing_is_drawn_below_the_footer_rule_or_above_the_header() {
        for page in lay_out(&doc(80, 12)) {
            for op in &page.ops {
                if let Op::Text { y, text, .. } = op {
                    let in_body = (BODY_BOTTOM..=BODY_TOP).contains(y);
                    let furniture = *y == 32.0 || *y == PAGE_HEIGHT - 40.0;
                    assert!(in_body || furniture, "{text:?} is drawn at y={y}, outside the page body");
                }
            }
        }
    }
}
