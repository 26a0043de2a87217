// Package scoring turns survey answers into satisfaction indices with honest
// uncertainty: criterion, element and overall indices with standard errors,
// confidence intervals, reporting rules, comparisons, multiplicity
// adjustment and rank intervals.
//
// The package is pure computation: no SQL, no clock, no I/O and no package
// state. Its storage format is [Stats], a set of mergeable sufficient
// statistics for the respondents of one [Design]: the server keeps one Stats
// per (agency, month, instrument), sums them with [Stats.Merge] over months
// and agency subtrees, subtracts a child with [Stats.Sub] to compare it with
// the rest of its parent, and calls [Compute] to publish.
//
// # Criterion index
//
// A criterion index is p̂ = x/n, x the answers of 4 or 5 and n the valid
// answers (1..5, "no opinion" excluded), published as a percentage. Its
// interval is the Wilson score interval [Wilson] (Brown, Cai & DasGupta 2001);
// [ClopperPearson] is the conservative alternative. The Wald interval is
// never used: at p = 0.95 and n = 30 its true coverage is 78%.
//
// # Composite indices
//
// An element index is the mean of the indices of its criteria that have data;
// the overall index is the mean of the element indices (or of the criterion
// indices when a design has no elements). Both are linear combinations
// C = Σ a_k p̂_k of ratios that are correlated because one respondent answers
// many criteria, so the respondent is the unit of variance. With r_ik = 1 when
// respondent i answered criterion k validly, y_ik = 1 when the answer was 4 or
// 5, n respondents and n_k valid answers to criterion k, the Taylor
// linearization (as in R survey: svyratio followed by svycontrast, simple
// random sampling) is
//
//	z_i  = Σ_k a_k r_ik (y_ik − p̂_k) n / n_k
//	v(C) = Σ_i z_i² / (n (n − 1))
//
// Because Σ_i z_i = 0, Σ_i z_i² expands into the pairwise sums
// Σ_i r_ik r_il, Σ_i y_ik r_il and Σ_i y_ik y_il, which Stats keeps, so the
// variance is exact after any Merge or Sub. The interval is C ± z·SE clamped
// to [0, 100] (Korn & Graubard 1998 discuss alternatives; coverage_test.go
// measures it by simulation: about 95% at n = 300 and about 94% at n = 50).
// A composite of a single criterion, such as the overall index of the
// one-item quick instrument, gets the criterion's Wilson interval instead,
// since C ± z·SE would then be a Wald interval.
//
// # Means, differences and many comparisons
//
// Mean scores use the t-interval [TInterval]. Two proportions are compared
// with Newcombe's hybrid score interval [Newcombe] (Newcombe 1998, method 10)
// and the pooled z-test [TwoProportionZ]; two independent composites with
// [DiffTest] (SE = √(v₁ + v₂)). A unit must never be compared with a total
// that contains it: compare it with the rest of the parent (parent.Sub(child)).
// Families of comparisons are adjusted with [Holm] (family-wise error, the
// default) or [BenjaminiHochberg] (false discovery rate).
//
// # Ranking and weights
//
// [RankIntervals] bootstraps respondents within each unit (never individual
// answers) and reports the 2.5% and 97.5% rank of every unit
// (Goldstein & Spiegelhalter 1996).
// [PostStratify] weights strata to their known dossier volumes, with an
// optional finite population correction that is only valid for random
// samples, which self-selected QR ratings are not.
//
// # Reliability
//
// [Cronbach] computes Cronbach's alpha (Cronbach 1951) and [ItemRest] the
// corrected item–total correlations, both from sufficient statistics of the
// complete cases.
//
// # Missing values
//
// No NaN or infinity ever reaches a [Result] or [Comparison]: a quantity
// that cannot be estimated is a nil pointer (JSON null) with a reason.
//
// References: Brown, Cai & DasGupta (2001) Statistical Science 16:101;
// Newcombe (1998) Stat Med 17:857 and 17:873; Korn & Graubard (1998) Survey
// Methodology 24:193; Lumley, R package survey; Holm (1979) Scand J Stat
// 6:65; Benjamini & Hochberg (1995) JRSS B 57:289; Goldstein & Spiegelhalter
// (1996) JRSS A 159:385; Cronbach (1951) Psychometrika 16:297.
package scoring
