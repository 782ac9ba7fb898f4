//! Names for the demo agency, in proportions a Shropshire branch might see.

pub const CLIENT_WOMEN: &[&str] = &[
    "Margaret", "Dorothy", "Joan", "Patricia", "Barbara", "Sheila", "Brenda", "Doreen", "Jean", "Irene",
    "Mavis", "Eileen", "Joyce", "Audrey", "Sylvia", "Valerie", "Pamela", "Maureen", "Beryl", "Gwen",
    "Hilda", "Elsie", "Marjorie", "Rita", "Christine", "Betty", "Enid", "Olive", "Vera", "Peggy",
];
pub const CLIENT_MEN: &[&str] = &[
    "Arthur", "Kenneth", "Dennis", "Ronald", "Derek", "Brian", "Alan", "Geoffrey", "Raymond", "Roy",
    "Stanley", "Leslie", "Frank", "Harold", "Norman", "Gordon", "Trevor", "Keith", "Malcolm", "Bernard",
];
pub const CARER_WOMEN: &[&str] = &[
    "Sarah", "Emma", "Claire", "Lisa", "Rachel", "Kelly", "Gemma", "Laura", "Nicola", "Jade", "Chloe",
    "Hannah", "Amy", "Zoe", "Leanne", "Donna", "Tracey", "Joanne", "Michelle", "Stacey", "Agnieszka",
    "Katarzyna", "Ioana", "Andreea", "Blessing", "Chiamaka", "Priya", "Harpreet", "Maricel", "Rhian",
];
pub const CARER_MEN: &[&str] = &[
    "James", "Daniel", "Thomas", "Ryan", "Liam", "Mark", "Paul", "Craig", "Tomasz", "Marius", "Emeka",
    "Gurpreet", "Jomar", "Gareth",
];
pub const FAMILY: &[&str] = &[
    "Jones", "Davies", "Evans", "Williams", "Roberts", "Edwards", "Hughes", "Morris", "Price", "Owen",
    "Smith", "Taylor", "Brown", "Wilson", "Wright", "Walker", "Hall", "Green", "Wood", "Harris",
    "Clarke", "Jackson", "Turner", "Hill", "Lewis", "Moore", "Baker", "Cooper", "Ward", "Morgan",
    "Bennett", "Griffiths", "Powell", "Jenkins", "Lloyd", "Parry", "Pugh", "Corbett", "Onions", "Beddoes",
    "Nowak", "Kowalski", "Popescu", "Okafor", "Patel", "Singh", "Reyes", "Tudor", "Vaughan", "Mills",
];
pub const RELATIONSHIPS: &[&str] = &["Daughter", "Son", "Wife", "Husband", "Niece", "Nephew", "Neighbour", "Friend"];
