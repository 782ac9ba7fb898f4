//! The visits a finding is about, held so that the commonest case costs
//! nothing extra: one visit's id in place, and only two or more (a clash,
//! a travel gap, a carer's whole week) in a list shared between the
//! finding's copies.
//!
//! Measured on the bench's huge week (73,000 findings, nearly all about one
//! visit): a list of its own for each finding's one id was 2 MB of the
//! kept week's memory.

use serde::{Serialize, Serializer};
use std::ops::Deref;
use std::sync::Arc;
use uuid::Uuid;

#[derive(Debug, Clone)]
pub enum VisitIds {
    One(Uuid),
    Many(Arc<[Uuid]>),
}

impl Deref for VisitIds {
    type Target = [Uuid];

    fn deref(&self) -> &[Uuid] {
        match self {
            VisitIds::One(id) => std::slice::from_ref(id),
            VisitIds::Many(ids) => ids,
        }
    }
}

/// The same visits, however they are held.
impl PartialEq for VisitIds {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl From<&[Uuid]> for VisitIds {
    fn from(ids: &[Uuid]) -> Self {
        match ids {
            [one] => VisitIds::One(*one),
            many => VisitIds::Many(many.into()),
        }
    }
}

impl<const N: usize> From<[Uuid; N]> for VisitIds {
    fn from(ids: [Uuid; N]) -> Self {
        ids.as_slice().into()
    }
}

impl From<Vec<Uuid>> for VisitIds {
    fn from(ids: Vec<Uuid>) -> Self {
        ids.as_slice().into()
    }
}

/// A list of ids, as the page has always been sent.
impl Serialize for VisitIds {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::VisitIds;
    use uuid::Uuid;

    #[test]
    fn one_visit_is_held_in_place_and_any_number_reads_and_is_sent_as_a_list() {
        let [a, b] = [1, 2].map(Uuid::from_u128);
        let one = VisitIds::from([a]);
        assert!(matches!(one, VisitIds::One(id) if id == a), "one id needs no list: {one:?}");
        assert_eq!(*one, [a]);
        let two = VisitIds::from(vec![a, b]);
        assert_eq!(*two, [a, b]);
        assert_eq!(VisitIds::from(vec![a]), one, "the same visit, however it came");
        assert_ne!(two, one);
        let sent = serde_json::to_value(&two).expect("serialised");
        assert_eq!(sent, serde_json::json!([a.to_string(), b.to_string()]));
        assert_eq!(serde_json::to_value(&one).expect("serialised"), serde_json::json!([a.to_string()]));
    }
}
