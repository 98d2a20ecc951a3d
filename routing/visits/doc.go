// Package visits plans a health worker's household visits over several
// days: which households on which day, in which order, within a day's
// budget of walking plus visiting, with the fewest days and then the least
// walking. It is the multi-day planner on top of routing/vrp (the search)
// and routing/tsp (each day's order); it takes plain values (a travel-time
// function, service times, villages) and knows nothing of files.
//
// Times are geo.Seconds; walking times may be asymmetric (uphill is
// slower than downhill). A pair with no path is a value (Travel's ok ==
// false), never a large number: households unreachable from the depot, or
// whose round trip alone exceeds the day, are listed in Result.Unserved,
// never dropped.
//
// # Villages
//
// Households of one village (Problem.Group) are kept on one day wherever
// the day's budget allows: a village whose best round trip from the depot
// (walking plus visits) fits in one day becomes one stop of the search, a
// "super-node" entered at its first household and left from its last, so
// no plan can split it. A village larger than one day, or whose households
// are not all joined by paths, is planned household by household and split
// as the search finds best. Each day's order is then optimised on its
// households (routing/tsp, exact up to 12 stops), villages interleaved
// where that walks less.
//
// # Months
//
// Schedule plans a month of working days when households need more than
// one visit (Month.Visits, e.g. every two weeks for a pregnancy or a
// newborn). The first visits are the rounds of Plan, placed on working
// days spread over the month, those holding priority households first;
// each further visit k of a household visited f times is placed near day
// d₁ + k·W/f (W working days, cyclically), on the feasible day within half
// a spacing that adds the least walking, so visits stay evenly spaced.
//
// Supervisors' circuits are the same problem: the depot is the facility,
// the "households" are the homes of the supervised health workers.
//
// # Determinism
//
// With the same problem, the same seed and no time limit, Plan and
// Schedule return the same plan; ties break on node numbers.
package visits
