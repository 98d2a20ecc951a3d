package demo

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// Place names are made of syllables that sound like inland Liberian place
// names; person names are common given names with an obviously fake family
// name, and phone numbers use the unassigned +231 000 prefix. Two given
// names are written in Kpelle's alphabet (ɛ, ɔ and tone marks), as names
// are in the registers, so that every output shows them intact.

var (
	syllFirst = []string{"Gba", "Zor", "Ko", "Fo", "Sa", "Ke", "Bo", "Ga", "Mo", "Do", "Ta", "Zi", "Wo", "Yo", "Kpa", "Sua", "Bel", "Gi", "To", "Ba", "Fa", "Va", "Ji", "Pa", "Ne"}
	syllMid   = []string{"lu", "ta", "ya", "no", "lem", "wee", "nta", "kpa", "pe", "la", "hun", "ma", "ko", "yea", "bo", "ka", "ni", "ze", "du", "sa", "ro", "gi"}
	syllEnd   = []string{"", "ta", "la", "ma", "wee", "tah", "ni", "ju", "pa", "nyea", "quoi", "ru", "zu", "lor"}
	firstName = []string{"Musu", "Fatu", "Kebeh", "Korto", "Yah", "Mamie", "Gbɛ̀tɔ", "Sarah", "Josephine", "Hawa", "Massa", "Bendu", "Esther", "Ma-Lorpu",
		"Flomo", "Kollie", "Sumo", "Togba", "James", "Joseph", "Moses", "Samuel", "Varney", "Lahai", "Kpakolo", "Saah", "Tamba", "Sekou", "Boima", "Kpɔ̀"}
)

// placeName returns a pronounceable made-up place name.
func placeName(r *rand.Rand) string {
	var b strings.Builder
	b.WriteString(syllFirst[r.IntN(len(syllFirst))])
	for range r.IntN(2) {
		b.WriteString(syllMid[r.IntN(len(syllMid))])
	}
	b.WriteString(syllEnd[r.IntN(len(syllEnd))])
	return b.String()
}

// uniqueName returns placeName(r), suffixed with a number when it is taken.
func uniqueName(r *rand.Rand, taken map[string]bool) string {
	n := placeName(r)
	base := n
	for i := 2; taken[n]; i++ {
		n = base + " " + strconv.Itoa(i)
	}
	taken[n] = true
	return n
}

// itoaPad formats n with at least width digits, zero-padded.
func itoaPad(n, width int) string {
	s := strconv.Itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return s
}
