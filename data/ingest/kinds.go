package ingest

import (
	"strings"

	"github.com/lastmile-health/lastmile/data/district"

	"github.com/lastmile-health/lastmile/data/gpkg"
	"github.com/lastmile-health/lastmile/data/household"
)

// Kind is what a file holds; it is also the layer name.
type Kind string

// The kinds of point records.
const (
	KindHouseholds Kind = "households"
	KindCHWs       Kind = "chws"
	KindFacilities Kind = "facilities"
)

// role is a field that ingest maps from an input column.
type role int

const (
	roleID role = iota
	roleMembers
	roleHead
	rolePhone
	roleVillage
	roleSubmitted
	roleName
	roleFacility
	roleCapacity
	roleActive
	roleType
	numRoles
)

// roleInfo says, for one kind, which layer field a role fills and the column
// names that are looked for (normalised, best first).
type roleInfo struct {
	role     role
	field    gpkg.Field
	names    []string
	personal bool
}

// Fields common to every kind, after the kind's own (the same columns in
// the three layers' declarations).
var (
	fieldFlags      = district.Households.Flags.Field
	fieldAccuracy   = district.Households.Accuracy.Field
	fieldSourceFile = district.Households.SourceFile.Field
	fieldSourceLine = district.Households.SourceLine.Field
)

// submissionIDNames are columns that identify a submission, not a
// household: used as the household ID only when no household ID column
// exists, with a warning.
var submissionIDNames = []string{"instanceid", "_uuid", "uuid", "key", "_id"}

type kindSpec struct {
	kind  Kind
	roles []roleInfo
	// nearDuplicates enables the near_duplicate check.
	nearDuplicates bool
	// defaultArea lets the extent of chws and facilities stand in for a
	// missing study area.
	defaultArea bool
}

func spec(k Kind) *kindSpec {
	switch k {
	case KindHouseholds:
		return &kindSpec{kind: k, nearDuplicates: true, defaultArea: true, roles: []roleInfo{
			{roleID, district.Households.ID.Field,
				[]string{"household_id", "hh_id", "hhid", "householdid", "household_code", "hh_code", "household_number", "hh_number", "hh_no", "@case_id", "case_id"}, false},
			{roleMembers, district.Households.Members.Field,
				[]string{"members", "household_members", "hh_members", "num_members", "number_of_members", "household_size", "hh_size", "members_count", "n_members"}, false},
			{roleHead, district.Households.Head.Field,
				[]string{"head_name", "head_of_household", "household_head", "hoh_name", "head_of_household_name", "hh_head", "head", "respondent_name"}, true},
			{rolePhone, district.Households.Phone.Field,
				[]string{"phone", "phone_number", "hh_phone", "contact_phone", "telephone", "mobile", "mobile_number", "contact_number"}, true},
			{roleVillage, district.Households.Village.Field,
				[]string{"village", "village_name", "community", "community_name", "settlement", "locality", "town"}, false},
			{roleSubmitted, district.Households.Submitted.Field,
				[]string{"submitted_at", "submissiondate", "_submission_time", "submission_time", "completed_time", "received_on", "end", "endtime", "today"}, false},
		}}
	case KindCHWs:
		return &kindSpec{kind: k, roles: []roleInfo{
			{roleID, district.CHWs.ID.Field,
				[]string{"chw_id", "chwid", "chw_code", "worker_id", "staff_id", "id", "code"}, false},
			{roleName, district.CHWs.PersonName.Field,
				[]string{"name", "chw_name", "full_name", "worker_name"}, true},
			{roleFacility, district.CHWs.Facility.Field,
				[]string{"facility_id", "health_facility_id", "hf_id", "facility_code", "health_facility", "facility", "supervising_facility"}, false},
			{roleCapacity, district.CHWs.Capacity.Field,
				[]string{"capacity", "max_households", "household_capacity", "households_capacity"}, false},
			{roleActive, district.CHWs.Active.Field,
				[]string{"active", "is_active", "status"}, false},
		}}
	case KindFacilities:
		return &kindSpec{kind: k, roles: []roleInfo{
			{roleID, district.Facilities.ID.Field,
				[]string{"facility_id", "id", "osm_id", "@id", "facility_code", "hf_id", "code", "fid"}, false},
			{roleName, district.Facilities.FacilityName.Field,
				[]string{"name", "facility_name", "name_en", "hf_name"}, false},
			{roleType, district.Facilities.Type.Field,
				[]string{"type", "facility_type", "amenity", "healthcare", "hf_type", "category"}, false},
		}}
	}
	return nil
}

// baseFields returns the kind's fixed layer fields in stored order, as
// data/district declares them.
func (s *kindSpec) baseFields() []gpkg.Field {
	return s.kind.layer().Fields()
}

// layer returns the kind's declaration.
func (k Kind) layer() *district.Layer {
	switch k {
	case KindHouseholds:
		return &district.Households.Layer
	case KindCHWs:
		return &district.CHWs.Layer
	}
	return &district.Facilities.Layer
}

// metadataNames are submission bookkeeping columns: left out of the
// near-duplicate comparison because they differ for every submission.
var metadataNames = map[string]bool{
	"instanceid": true, "instancename": true, "uuid": true, "key": true, "parent_key": true,
	"submissiondate": true, "submission_time": true, "start": true, "end": true, "today": true,
	"deviceid": true, "simserial": true, "subscriberid": true, "username": true, "submitterid": true,
	"submittername": true, "attachmentsexpected": true, "attachmentspresent": true, "status": true,
	"reviewstate": true, "edits": true, "formversion": true, "completed_time": true, "started_time": true,
	"received_on": true, "form_link": true, "case_id": true, "@case_id": true, "number": true,
	"deprecatedid": true, "audit": true, "starttime": true, "endtime": true, "index": true,
}

func isMetadata(col string) bool {
	n := household.NormalizeName(col)
	if strings.HasPrefix(n, "meta/") || strings.Contains(n, "/meta/") {
		return true
	}
	last := n[strings.LastIndexByte(n, '/')+1:]
	return strings.HasPrefix(last, "_") || metadataNames[last]
}

// personalTokens mark a column as personal data; placeTokens undo that for
// names of places ("village_name").
var (
	personalTokens = map[string]bool{
		"name": true, "names": true, "firstname": true, "lastname": true, "surname": true, "fullname": true,
		"phone": true, "telephone": true, "tel": true, "mobile": true, "msisdn": true, "contact": true,
		"email": true, "dob": true, "birth": true, "birthdate": true, "nin": true, "national": true,
		"passport": true, "username": true, "submittername": true, "respondent": true, "mother": true,
		"father": true, "caregiver": true, "spouse": true, "phonenumber": true,
		"cellphone": true, "whatsapp": true, "gsm": true,
		// French, Spanish and Portuguese forms (Kobo and ODK are used in all).
		"nom": true, "prenom": true, "apellido": true, "apellidos": true, "nome": true, "sobrenome": true,
		"telefono": true, "telefone": true, "celular": true, "portable": true,
	}
	placeTokens = map[string]bool{
		"village": true, "community": true, "facility": true, "district": true, "county": true,
		"settlement": true, "town": true, "site": true, "clinic": true, "place": true, "chiefdom": true,
		"adm0": true, "adm1": true, "adm2": true, "adm3": true, "adm4": true, "form": true, "device": true,
		"street": true, "city": true, "region": true, "hf": true, "zone": true, "clan": true,
	}
)

// isPersonal reports whether a column looks like personal data.
func isPersonal(col string) bool {
	n := household.NormalizeName(col)
	toks := strings.FieldsFunc(n, func(r rune) bool { return r == '_' || r == '/' || r == '@' })
	personal := false
	for _, t := range toks {
		if placeTokens[t] {
			return false
		}
		if personalTokens[t] {
			personal = true
		}
	}
	return personal
}

// sanitizeName turns a column name into a safe layer field name: lower
// case letters, digits and '_', not starting with a digit.
func sanitizeName(s string) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(s) {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_'
		if !ok {
			r = '_'
		}
		if r == '_' {
			if under {
				continue
			}
			under = true
		} else {
			under = false
		}
		b.WriteRune(r)
	}
	out := strings.TrimRight(b.String(), "_")
	if out == "" {
		out = "column"
	}
	if out[0] >= '0' && out[0] <= '9' {
		out = "f_" + out
	}
	if len(out) > 60 {
		out = out[:60]
	}
	return out
}
