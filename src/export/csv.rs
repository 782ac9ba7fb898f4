//! CSV cells and rows as spreadsheets read them safely: quoted when they
//! hold a comma, quote or line break, and a cell that a spreadsheet would
//! run as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is
//! prefixed with `'` so it shows as the text it is.

/// One cell, escaped.
pub fn cell(text: &str) -> String {
    let guarded =
        if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_string() };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// One line of cells, with its line ending.
pub fn row<S: AsRef<str>>(cells: impl IntoIterator<Item = S>) -> String {
    let mut line = cells.into_iter().map(|c| cell(c.as_ref())).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_shown_as_text_and_awkward_cells_are_quoted() {
        assert_eq!(cell("=CMD()"), "'=CMD()");
        assert_eq!(cell("+44 7700 900123"), "'+44 7700 900123");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("-1+1"), "'-1+1");
        assert_eq!(cell("Onions, Margaret"), "\"Onions, Margaret\"");
        assert_eq!(cell("She said \"no\""), "\"She said \"\"no\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\",\"y\")"), "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
        assert_eq!(row(["a", "b,c", ""]), "a,\"b,c\",\r\n");
    }
}
