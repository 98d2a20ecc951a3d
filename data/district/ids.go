package district

// HouseholdID identifies a household registration (household_id).
type HouseholdID string

// CHWID identifies a community health worker (chw_id).
type CHWID string

// FacilityID identifies a health facility (facility_id).
type FacilityID string
