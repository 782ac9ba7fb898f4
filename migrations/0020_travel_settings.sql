-- Caredesk schema 20: the agency's own travel estimates (road factor, a
-- speed for each transport mode, the shortest leg) and how far from home a
-- carer's first visit of the day may be before the rules warn. One row, with
-- a fixed id; until a registered manager saves it, the usual figures apply.
CREATE TABLE travel_settings (
    id                   TEXT PRIMARY KEY,
    road_factor          REAL NOT NULL CHECK (road_factor BETWEEN 1.0 AND 3.0),
    car_kmh              REAL NOT NULL CHECK (car_kmh BETWEEN 5.0 AND 100.0),
    foot_kmh             REAL NOT NULL CHECK (foot_kmh BETWEEN 1.0 AND 10.0),
    bicycle_kmh          REAL NOT NULL CHECK (bicycle_kmh BETWEEN 4.0 AND 40.0),
    public_transport_kmh REAL NOT NULL CHECK (public_transport_kmh BETWEEN 3.0 AND 60.0),
    minimum_leg_min      INTEGER NOT NULL CHECK (minimum_leg_min BETWEEN 0 AND 60),
    longest_from_home_min INTEGER NOT NULL CHECK (longest_from_home_min BETWEEN 10 AND 240),
    deleted_at           TEXT
) STRICT;
