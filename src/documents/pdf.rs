//! Writing a laid-out document as a PDF file: A4, black and white, the
//! built-in Helvetica (nothing to embed). Written beside the target as
//! `.partial` and renamed, so a half-written file never carries the name.

use super::layout::{lay_out, Op, PAGE_HEIGHT, PAGE_WIDTH};
use super::model::Document;
use crate::error::{Error, Result};
use pdf_canvas::graphicsstate::Color;
use pdf_canvas::{BuiltinFont, Pdf};
use std::path::Path;

/// Writes `doc` to `path` and returns how many pages it has.
pub fn write_pdf(doc: &Document, path: &Path) -> Result<usize> {
    let pages = lay_out(doc);
    let partial = path.with_extension("pdf.partial");
    let failed = |e: std::io::Error| {
        Error::Io(std::io::Error::new(e.kind(), format!("could not write {}: {e}", path.display())))
    };
    let mut pdf = Pdf::create(&partial.to_string_lossy()).map_err(failed)?;
    pdf.set_title(&format!("{} · {}", doc.kind, doc.title));
    pdf.set_creator("Caredesk");
    for page in &pages {
        pdf.render_page(PAGE_WIDTH, PAGE_HEIGHT, |canvas| {
            for op in &page.ops {
                match op {
                    Op::Text { x, y, bold, size, text } => {
                        let font = if *bold { BuiltinFont::Helvetica_Bold } else { BuiltinFont::Helvetica };
                        canvas.left_text(*x, *y, font, *size, text)?;
                    }
                    Op::Rule { x1, x2, y, width, gray } => {
                        canvas.set_stroke_color(Color::gray(*gray))?;
                        canvas.set_line_width(*width)?;
                        canvas.line(*x1, *y, *x2, *y)?;
                        canvas.stroke()?;
                    }
                    Op::Bar { x, y, width, height } => {
                        canvas.set_fill_color(Color::gray(0))?;
                        canvas.rectangle(*x, *y, *width, *height)?;
                        canvas.fill()?;
                    }
                }
            }
            Ok(())
        })
        .map_err(failed)?;
    }
    pdf.finish().map_err(failed)?;
    std::fs::rename(&partial, path).map_err(failed)?;
    Ok(pages.len())
}
