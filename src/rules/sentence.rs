//! A finding's sentence: written when the finding is made, or kept as what
//! it is made of and written when someone reads it.
//!
//! A week's check on the huge agency makes 73,000 findings, and the page
//! shows the few on the rows in view. Measured there (the bench's huge
//! week, `check_rota`): writing every sentence at once was a third of
//! the rules' time, and the sentences 9 MB of the kept week. The commonest
//! ones (outside availability, a skill missing, a short rest, a short
//! travel gap) are kept as a closure over the shared names and times they
//! need; the rest are written at once.

use serde::{Serialize, Serializer};
use std::fmt::{self, Display, Formatter};
use std::sync::Arc;

/// Writes a sentence into a formatter, from what it captured (shared names,
/// times and figures, never borrowed facts).
type Write = dyn Fn(&mut Formatter<'_>) -> fmt::Result + Send + Sync;

#[derive(Clone)]
pub enum Sentence {
    Written(Arc<str>),
    Later(Arc<Write>),
}

impl Sentence {
    /// A sentence `write` writes each time it is read.
    pub(crate) fn later(write: impl Fn(&mut Formatter<'_>) -> fmt::Result + Send + Sync + 'static) -> Self {
        Sentence::Later(Arc::new(write))
    }
}

impl Display for Sentence {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Sentence::Written(text) => f.write_str(text),
            Sentence::Later(write) => write(f),
        }
    }
}

impl fmt::Debug for Sentence {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_string(), f)
    }
}

/// The same words, however each was kept.
impl PartialEq for Sentence {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Sentence::Written(a), Sentence::Written(b)) => a == b,
            (Sentence::Later(a), Sentence::Later(b)) if Arc::ptr_eq(a, b) => true,
            _ => self.to_string() == other.to_string(),
        }
    }
}

/// Sent to the page as the words themselves.
impl Serialize for Sentence {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl From<String> for Sentence {
    fn from(text: String) -> Self {
        Sentence::Written(text.into())
    }
}

impl From<&str> for Sentence {
    fn from(text: &str) -> Self {
        Sentence::Written(text.into())
    }
}

impl From<Arc<str>> for Sentence {
    fn from(text: Arc<str>) -> Self {
        Sentence::Written(text)
    }
}

#[cfg(test)]
mod tests {
    use super::Sentence;

    #[test]
    fn a_sentence_written_later_reads_and_compares_as_the_same_words_written_at_once() {
        let (name, minutes) = (std::sync::Arc::<str>::from("Sarah Evans"), 45);
        let later = Sentence::later(move |f| write!(f, "{name} has {minutes} min"));
        let written = Sentence::from("Sarah Evans has 45 min");
        assert_eq!(later.to_string(), "Sarah Evans has 45 min");
        assert_eq!(later, written, "the same words are the same sentence");
        assert_ne!(later, Sentence::from("Sarah Evans has 40 min"));
        assert_eq!(serde_json::to_string(&later).unwrap(), "\"Sarah Evans has 45 min\"", "sent to the page as words");
        assert_eq!(format!("{later:?}"), "\"Sarah Evans has 45 min\"");
    }
}
