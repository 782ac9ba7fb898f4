//! Reading an import file: CSV (UTF-8, a header line, RFC 4180 quoting)
//! into rows of named cells, every line that cannot be read reported with
//! its number and why. Nothing here knows about carers or clients.

use serde::Serialize;
use ts_rs::TS;

pub const MAX_BYTES: usize = 5 * 1024 * 1024;
pub const MAX_ROWS: usize = 10_000;
pub const MAX_CELL: usize = 500;

/// One problem with one line of the file (line 1 is the header).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct LineProblem {
    pub line: u32,
    pub field: String,
    pub message: String,
}

pub fn problem(line: u32, field: &str, message: impl Into<String>) -> LineProblem {
    LineProblem { line, field: field.to_string(), message: message.into() }
}

/// A data line: its number in the file and its cells by column name.
pub struct Row {
    pub line: u32,
    pub cells: Vec<(String, String)>,
}

impl Row {
    pub fn get(&self, column: &str) -> &str {
        self.cells.iter().find(|(c, _)| c == column).map_or("", |(_, v)| v.as_str())
    }
}

/// The header (lower case, trimmed) and every readable data line; the
/// problems of the rest. A blank line is skipped.
pub fn read(bytes: &[u8]) -> (Vec<String>, Vec<Row>, Vec<LineProblem>) {
    let mut problems = Vec::new();
    if bytes.len() > MAX_BYTES {
        problems.push(problem(0, "file", format!("The file is larger than {} MB", MAX_BYTES / 1024 / 1024)));
        return (Vec::new(), Vec::new(), problems);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes); // Excel's "CSV UTF-8" marker
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut header: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    for record in reader.byte_records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as u32);
                problems.push(problem(line, "line", format!("This line cannot be read as CSV: {e}")));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as u32);
        let mut cells = Vec::with_capacity(record.len());
        let mut readable = true;
        for (i, raw) in record.iter().enumerate() {
            let column = header.get(i).cloned().unwrap_or_else(|| format!("column {}", i + 1));
            match std::str::from_utf8(raw) {
                Ok(text) => cells.push((column, text.trim().to_string())),
                Err(_) => {
                    problems.push(problem(
                        line,
                        &column,
                        "This is not UTF-8 text: save the file as \"CSV UTF-8\" and try again",
                    ));
                    readable = false;
                }
            }
        }
        if !readable {
            continue;
        }
        if header.is_empty() {
            header = cells.into_iter().map(|(_, name)| name.to_lowercase().replace(' ', "_")).collect();
            continue;
        }
        if cells.iter().all(|(_, v)| v.is_empty()) {
            continue;
        }
        if cells.len() != header.len() {
            let message = format!("This line has {} cells; the header has {}", cells.len(), header.len());
            problems.push(problem(line, "line", message));
            continue;
        }
        for (column, value) in &cells {
            if value.chars().count() > MAX_CELL {
                problems.push(problem(line, column, format!("Longer than {MAX_CELL} characters")));
            } else if value.starts_with(['=', '@']) {
                let message = "Starts with a character a spreadsheet runs as a formula; this is not a value";
                problems.push(problem(line, column, message));
            }
        }
        rows.push(Row { line, cells });
        if rows.len() > MAX_ROWS {
            problems.push(problem(line, "file", format!("More than {MAX_ROWS} lines: split the file")));
            break;
        }
    }
    if header.is_empty() && problems.is_empty() {
        problems.push(problem(1, "file", "The file is empty: the first line must name the columns"));
    }
    (header, rows, problems)
}
