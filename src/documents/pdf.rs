//! Writing a laid-out document as a PDF file: A4, black and white, the
//! standard Helvetica (nothing to embed), text in WinAnsi encoding. Built in
//! memory (pdf-writer) and written once, beside the target as `.partial`
//! then renamed, so a half-written file never carries the name.

use super::layout::{lay_out, win_ansi, Op, PAGE_HEIGHT, PAGE_WIDTH};
use super::model::Document;
use crate::error::{Error, Result};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use std::path::Path;

const REGULAR: Name = Name(b"F1");
const BOLD: Name = Name(b"F2");

/// The PDF file's bytes.
pub fn pdf_bytes(doc: &Document) -> (Vec<u8>, usize) {
    let pages = lay_out(doc);
    let (catalog, tree, info, regular, bold) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), Ref::new(5));
    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    let first_page = 6;
    let page_ids: Vec<Ref> = (0..pages.len()).map(|i| Ref::new(first_page + 2 * i as i32)).collect();
    pdf.pages(tree).kids(page_ids.iter().copied()).count(pages.len() as i32);
    pdf.type1_font(regular).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));
    let title = format!("{} · {}", doc.kind, doc.title);
    pdf.document_info(info).title(TextStr(&title)).creator(TextStr("Caredesk"));

    for (page, id) in pages.iter().zip(&page_ids) {
        let contents_id = Ref::new(id.get() + 1);
        let mut content = Content::new();
        for op in &page.ops {
            match op {
                Op::Text { x, y, bold, size, text, .. } => {
                    content.begin_text();
                    content.set_font(if *bold { BOLD } else { REGULAR }, *size);
                    content.next_line(*x, *y);
                    content.show(Str(&win_ansi(text)));
                    content.end_text();
                }
                Op::Rule { x1, x2, y, width, gray } => {
                    content.set_stroke_gray(f32::from(*gray) / 255.0);
                    content.set_line_width(*width);
                    content.move_to(*x1, *y);
                    content.line_to(*x2, *y);
                    content.stroke();
                }
                Op::Bar { x, y, width, height } => {
                    content.set_fill_gray(0.0);
                    content.rect(*x, *y, *width, *height);
                    content.fill_nonzero();
                }
            }
        }
        let mut writer = pdf.page(*id);
        writer.parent(tree).media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT)).contents(contents_id);
        writer.resources().fonts().pair(REGULAR, regular).pair(BOLD, bold);
        writer.finish();
        pdf.stream(contents_id, &content.finish());
    }
    (pdf.finish(), pages.len())
}

/// Writes `doc` to `path` and returns how many pages it has.
pub fn write_pdf(doc: &Document, path: &Path) -> Result<usize> {
    let (bytes, pages) = pdf_bytes(doc);
    let partial = path.with_extension("pdf.partial");
    let failed = |e: std::io::Error| {
        Error::Io(std::io::Error::new(e.kind(), format!("could not write {}: {e}", path.display())))
    };
    std::fs::write(&partial, bytes).map_err(failed)?;
    std::fs::rename(&partial, path).map_err(failed)?;
    Ok(pages)
}
