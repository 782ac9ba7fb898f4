//! Shrewsbury, Shropshire, and the villages around it: real streets and
//! postcode districts with approximate coordinates. Unit postcodes are made
//! up within the real sectors, so they have the right shape but may not exist.

/// (street or village, town, postcode district, sectors, latitude, longitude)
pub type Place = (&'static str, &'static str, &'static str, &'static [u8], f64, f64);

pub const PLACES: &[Place] = &[
    ("Abbey Foregate", "Shrewsbury", "SY2", &[5, 6], 52.7063, -2.7440),
    ("Belle Vue Road", "Shrewsbury", "SY3", &[7], 52.7008, -2.7498),
    ("Castle Foregate", "Shrewsbury", "SY1", &[2], 52.7143, -2.7495),
    ("Coton Hill", "Shrewsbury", "SY1", &[2], 52.7160, -2.7560),
    ("Copthorne Road", "Shrewsbury", "SY3", &[8], 52.7085, -2.7740),
    ("Ditherington Road", "Shrewsbury", "SY1", &[4], 52.7235, -2.7425),
    ("Ellesmere Road", "Shrewsbury", "SY1", &[2], 52.7240, -2.7560),
    ("Frankwell", "Shrewsbury", "SY3", &[8], 52.7090, -2.7615),
    ("Harlescott Lane", "Shrewsbury", "SY1", &[3], 52.7335, -2.7380),
    ("Longden Road", "Shrewsbury", "SY3", &[7, 9], 52.6975, -2.7610),
    ("Monkmoor Road", "Shrewsbury", "SY2", &[5], 52.7130, -2.7305),
    ("Mount Pleasant Road", "Shrewsbury", "SY1", &[3], 52.7275, -2.7480),
    ("Oteley Road", "Shrewsbury", "SY2", &[6], 52.6925, -2.7330),
    ("Porthill Road", "Shrewsbury", "SY3", &[8], 52.7060, -2.7680),
    ("Roman Road", "Shrewsbury", "SY3", &[9], 52.6920, -2.7700),
    ("Sundorne Road", "Shrewsbury", "SY1", &[4], 52.7245, -2.7300),
    ("Sutton Road", "Shrewsbury", "SY2", &[6], 52.6960, -2.7370),
    ("Underdale Road", "Shrewsbury", "SY2", &[5], 52.7125, -2.7390),
    ("Wenlock Road", "Shrewsbury", "SY2", &[6], 52.7000, -2.7250),
    ("Whitchurch Road", "Shrewsbury", "SY1", &[4], 52.7305, -2.7395),
    ("Crowmere Road", "Shrewsbury", "SY2", &[5], 52.7105, -2.7215),
    ("Bank Farm Road", "Shrewsbury", "SY3", &[6], 52.7105, -2.7920),
    ("Bicton Heath", "Shrewsbury", "SY3", &[5], 52.7160, -2.7990),
    ("Meole Brace", "Shrewsbury", "SY3", &[9], 52.6900, -2.7590),
    ("Sutton Farm", "Shrewsbury", "SY2", &[6], 52.6940, -2.7175),
    ("Battlefield Road", "Shrewsbury", "SY1", &[3], 52.7420, -2.7310),
    ("Bayston Hill", "Shrewsbury", "SY3", &[0], 52.6730, -2.7630),
    ("Condover", "Shrewsbury", "SY5", &[7], 52.6480, -2.7470),
    ("Dorrington", "Shrewsbury", "SY5", &[7], 52.6290, -2.7720),
    ("Hanwood", "Shrewsbury", "SY5", &[8], 52.6710, -2.8340),
    ("Pontesbury", "Shrewsbury", "SY5", &[0], 52.6480, -2.8880),
    ("Minsterley", "Shrewsbury", "SY5", &[0], 52.6380, -2.9230),
    ("Baschurch", "Shrewsbury", "SY4", &[2], 52.7890, -2.8530),
    ("Shawbury", "Shrewsbury", "SY4", &[4], 52.7850, -2.6550),
    ("Hadnall", "Shrewsbury", "SY4", &[4], 52.7730, -2.7080),
    ("Noble Street", "Wem", "SY4", &[5], 52.8550, -2.7240),
    ("Aston Street", "Wem", "SY4", &[5], 52.8530, -2.7210),
    ("Church Stretton Road", "Church Stretton", "SY6", &[6], 52.5390, -2.8070),
];

/// The middle of Shrewsbury, where most of the agency's calls are.
const TOWN_CENTRE: (f64, f64) = (52.7077, -2.7527);

/// The places within 3 km of the middle of Shrewsbury (its own streets).
pub fn in_town() -> Vec<Place> {
    let centre = crate::travel::GeoPoint { lat: TOWN_CENTRE.0, lon: TOWN_CENTRE.1 };
    PLACES
        .iter()
        .copied()
        .filter(|p| crate::travel::great_circle_km(centre, crate::travel::GeoPoint { lat: p.4, lon: p.5 }) <= 3.0)
        .collect()
}
