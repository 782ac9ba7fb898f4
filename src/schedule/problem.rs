//! The scheduling problem, the same for the public benchmarks and for the
//! app: carers with skills and a working window, visits with a window for
//! the start, one or two tasks each needing a skill, synchronised when two
//! (the same start, or the second within a gap after the first), travel
//! between places (a matrix, or points on the map timed by each carer's
//! transport), and what a plan costs. Pure data.

use crate::people::Transport;
use crate::travel::{estimate, GeoPoint, TravelSettings};

/// An index into `Problem::places`.
pub type Place = usize;

#[derive(Debug, Clone, PartialEq)]
pub struct Carer {
    pub id: String,
    /// Indexes into `Problem::skills`.
    pub skills: Vec<usize>,
    pub start: Place,
    pub end: Place,
    /// When the carer may leave `start` and must be back at `end`.
    pub shift: (f64, f64),
    /// Load a route may carry (Solomon's vehicle capacity); `None` for none.
    pub capacity: Option<f64>,
    /// Longest a route may take from leaving to coming back, minutes of
    /// work for the Working Time rules in the app; `None` for no limit.
    pub max_work: Option<f64>,
    /// Longest from the start of a route's first visit to the end of its
    /// last, minutes: in the app, the 13 hours that 11 hours' rest in 24
    /// leaves; `None` for no limit.
    pub max_span: Option<f64>,
    /// Longest journey from `start` to the route's first visit, minutes
    /// (the agency's "far from home" in the app); `None` for no limit.
    pub max_first_leg: Option<f64>,
    /// How they travel, where travel is timed on the map.
    pub transport: Transport,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    pub skill: usize,
    pub duration: f64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sync {
    /// One task, or two that need no timing between them.
    None,
    /// Both tasks start at the same moment (a double-up).
    Simultaneous,
    /// The second task starts between `min` and `max` after the first.
    Sequential { min: f64, max: f64 },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Visit {
    pub id: String,
    pub place: Place,
    /// Earliest and latest start of each task.
    pub window: (f64, f64),
    /// One or two.
    pub tasks: Vec<Task>,
    pub sync: Sync,
    /// Load (Solomon's demand).
    pub demand: f64,
    /// Carers (indexes) who must not do it.
    pub excluded: Vec<usize>,
    /// Carers the client knows, preferred for continuity.
    pub preferred: Vec<usize>,
    /// Already given to this carer (the app's allocated visits): kept in
    /// their route as it is, never moved by the search.
    pub fixed: Option<usize>,
}

/// Travel between places.
#[derive(Debug, Clone, PartialEq)]
pub enum Travel {
    /// Time (equal to distance) between places, square.
    Matrix(Vec<Vec<f64>>),
    /// Places on the map; minutes by each carer's transport, as the agency
    /// estimates legs everywhere else.
    Map { points: Vec<GeoPoint>, settings: TravelSettings },
}

/// What a plan costs, and which limits are hard.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Objective {
    /// Mankowska et al.: (travel + total tardiness + maximum tardiness) / 3,
    /// starting late is allowed and paid for.
    Hhcrsp,
    /// Solomon VRPTW: total distance; starting late is not allowed.
    Distance,
    /// The app: travel plus a price for each task left undone and for each
    /// visit given to a carer the client does not know; late is not allowed.
    Agency { unassigned: f64, stranger: f64 },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub name: String,
    pub skills: Vec<String>,
    pub carers: Vec<Carer>,
    pub visits: Vec<Visit>,
    pub travel: Travel,
    pub objective: Objective,
    /// Whether every task must be done for a plan to count (the benchmarks);
    /// the app may leave tasks nobody can do.
    pub all_tasks_required: bool,
}

/// What a plan adds up to, for pricing.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tally {
    pub travel: f64,
    pub tardiness: f64,
    pub max_tardiness: f64,
    pub strangers: usize,
    /// Tasks nobody does.
    pub undone: usize,
}

impl Objective {
    /// The cost of a plan's tally. Undone tasks are priced only by the
    /// agency's objective: the benchmarks call such a plan infeasible.
    pub fn price(self, t: Tally) -> f64 {
        match self {
            Objective::Hhcrsp => (t.travel + t.tardiness + t.max_tardiness) / 3.0,
            Objective::Distance => t.travel,
            Objective::Agency { unassigned, stranger } => {
                t.travel + unassigned * t.undone as f64 + stranger * t.strangers as f64
            }
        }
    }
}

/// One task of one visit: what a route is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Job {
    pub visit: usize,
    pub task: usize,
}

impl Problem {
    pub fn job_count(&self) -> usize {
        self.visits.iter().map(|v| v.tasks.len()).sum()
    }

    /// Minutes (or distance, which equals them) for `carer` from one
    /// place to another.
    pub fn travel(&self, carer: usize, from: Place, to: Place) -> f64 {
        match &self.travel {
            Travel::Matrix(m) => m[from][to],
            Travel::Map { points, settings } => {
                f64::from(estimate(points[from], points[to], self.carers[carer].transport, settings).minutes)
            }
        }
    }

    /// Whether the carer may do the task: has the skill and is not excluded.
    pub fn can_do(&self, carer: usize, job: Job) -> bool {
        let visit = &self.visits[job.visit];
        self.carers[carer].skills.contains(&visit.tasks[job.task].skill) && !visit.excluded.contains(&carer)
    }

    /// The lower bound on `job`'s start that its synchronised partner,
    /// starting at `partner`, puts on it: the first no earlier than `max`
    /// before the second, the second no earlier than `min` after the first.
    pub fn partner_bound(&self, job: Job, partner: f64) -> f64 {
        match self.visits[job.visit].sync {
            Sync::None => f64::NEG_INFINITY,
            Sync::Simultaneous => partner,
            Sync::Sequential { max, .. } if job.task == 0 => partner - max,
            Sync::Sequential { min, .. } => partner + min,
        }
    }

    /// Whether late starts are forbidden rather than paid for.
    pub fn hard_windows(&self) -> bool {
        !matches!(self.objective, Objective::Hhcrsp)
    }
}
