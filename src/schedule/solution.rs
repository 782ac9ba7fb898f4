//! A plan: each carer's route as the tasks they do in order. Our plans
//! leave start times to `timing`, which works out the earliest that every
//! constraint allows (also the cheapest: every cost grows with lateness).
//! A plan read from a file keeps the times it gives, so it is scored as
//! published.

use super::problem::{Job, Problem};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Solution {
    /// One route per carer, in `Problem::carers` order.
    pub routes: Vec<Vec<Job>>,
    /// Start times as a file gave them, by route and position.
    pub starts: Option<Vec<Vec<f64>>>,
}

impl Solution {
    pub fn empty(problem: &Problem) -> Self {
        Solution { routes: vec![Vec::new(); problem.carers.len()], starts: None }
    }
}
