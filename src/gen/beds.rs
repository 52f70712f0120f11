//! Admissions and bed allocation: a cheap sequential pre-pass over all
//! patients, so that no two patients share a bed at the same time and the
//! census at the end date is plausible (≈60-85 % of beds occupied).
//!
//! A small hospital (a sample of tens of patients) would end with its wards
//! almost empty, since only about 1 % of a hospital's patients are inpatients
//! on any day. Below [`census_floor`] open admissions at the export, more
//! patients are admitted in the last weeks (their own PRNG stream, so the
//! rest is unchanged); large hospitals reach the floor on their own.

use super::dept::{WARDS, dept, ward_index};
use super::profile::{Kind, Profile, Sex};
use super::rng::{Rng, Stream};
use super::scenario::{SCENARIOS, Scenario};
use super::ts::{Dt, at, days, minutes};
use chrono::{Datelike, NaiveDate, Weekday};

/// Target occupancy used to size each ward from its demand.
const TARGET: f64 = 0.78;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bed {
    pub ward: usize,
    pub room: u32,
    pub bed: u32,
}

impl Bed {
    pub fn ward_code(&self) -> &'static str {
        WARDS[self.ward].code
    }
    pub fn ward_name(&self) -> &'static str {
        WARDS[self.ward].name
    }
}

#[derive(Clone, Debug)]
pub struct Segment {
    pub bed: Bed,
    pub from: Dt,
    pub to: Dt,
}

pub struct Stay {
    pub scenario: &'static Scenario,
    pub admit: Dt,
    /// Planned discharge; may lie after the export time (open admission).
    pub discharge: Dt,
    pub planned: bool,
    pub surgery: Option<Dt>,
    pub segments: Vec<Segment>,
    /// Added to fill a small hospital's census; such long stays always take a weekend leave.
    pub census_fill: bool,
}

/// What the patient would like; beds permitting.
struct Request {
    patient: u32,
    scenario: &'static Scenario,
    admit: Dt,
    discharge: Dt,
    planned: bool,
    surgery: Option<Dt>,
    /// (ward, from, to)
    plan: Vec<(usize, Dt, Dt)>,
    census_fill: bool,
}

pub struct Hospital {
    pub stays: Vec<Vec<Stay>>,
    pub inpatients_at_end: u32,
    /// Read by tests (census check).
    #[cfg_attr(not(test), allow(dead_code))]
    pub total_beds: u32,
}

fn next_weekday(d: NaiveDate) -> NaiveDate {
    let mut d = d;
    while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
        d = d.succ_opt().unwrap_or(d);
    }
    d
}

fn pick_scenario(rng: &mut Rng, p: &Profile) -> Option<&'static Scenario> {
    let w: Vec<f64> = SCENARIOS
        .iter()
        .map(|s| {
            if p.age < s.ages.0 || p.age > s.ages.1 {
                return 0.0;
            }
            if (s.sex == 'M' && p.sex != Sex::M) || (s.sex == 'F' && p.sex != Sex::F) {
                return 0.0;
            }
            if s.key == "delivery" {
                return if p.kind == Kind::Maternity { 1000.0 } else { 0.0 };
            }
            let boost = if s.boost.iter().any(|b| p.has(b)) {
                4.0
            } else {
                1.0
            };
            s.weight * boost
        })
        .collect();
    if w.iter().all(|x| *x <= 0.0) {
        return None;
    }
    Some(&SCENARIOS[rng.weighted(&w)])
}

fn admission_probability(p: &Profile) -> f64 {
    match p.kind {
        Kind::Dormant => 0.0,
        Kind::Child => 0.06,
        Kind::Maternity => 0.65,
        Kind::Chronic => 0.10 + 0.025 * p.chronic.len() as f64 + if p.age >= 80 { 0.06 } else { 0.0 },
        Kind::Acute => 0.05 + if p.age >= 65 { 0.04 } else { 0.0 },
    }
}

fn make_request(rng: &mut Rng, p: &Profile, s: &'static Scenario, day: NaiveDate) -> Request {
    let planned = rng.chance(s.elective);
    let admit = if planned {
        at(next_weekday(day), rng.int(9, 11) as u32, rng.int(0, 59) as u32)
    } else {
        // Emergencies arrive around the clock, more in the daytime.
        let h = [8, 10, 11, 13, 14, 15, 16, 17, 19, 21, 23, 2][rng.below(12) as usize];
        at(day, h, rng.int(0, 59) as u32)
    };
    let los = rng.int(s.los.0, s.los.1);
    let dis_day = (admit + days(los)).date();
    let discharge = at(dis_day, rng.int(10, 11) as u32, rng.int(0, 59) as u32);
    let ward = ward_index(dept(s.dept).ward);
    let icu = ward_index("ICU");
    let surgery = s
        .surgery_day
        .map(|d| at((admit + days(d)).date(), rng.int(9, 13) as u32, 0).max(admit + minutes(120)));
    let mut plan = Vec::new();
    if rng.chance(s.icu_first) && los >= 4 {
        let t = at((admit + days(rng.int(1, 3))).date(), 10, rng.int(0, 59) as u32);
        plan.push((icu, admit, t));
        plan.push((ward, t, discharge));
    } else if let (Some(op), true) = (surgery, rng.chance(s.icu_postop)) {
        let back = at((op + days(1)).date(), 10, rng.int(0, 59) as u32);
        if back < discharge {
            plan.push((ward, admit, op));
            plan.push((icu, op, back));
            plan.push((ward, back, discharge));
        } else {
            plan.push((ward, admit, discharge));
        }
    } else if los >= 7 && rng.chance(0.12) {
        // Room change (転室) inside the ward.
        let t = at(
            (admit + days(rng.int(2, los - 2))).date(),
            14,
            rng.int(0, 59) as u32,
        );
        plan.push((ward, admit, t));
        plan.push((ward, t, discharge));
    } else {
        plan.push((ward, admit, discharge));
    }
    Request {
        patient: p.idx,
        scenario: s,
        admit,
        discharge,
        planned,
        surgery,
        plan,
        census_fill: false,
    }
}

fn requests_for(p: &Profile, seed: u64, start: NaiveDate, end: NaiveDate) -> Vec<Request> {
    let mut rng = Rng::stream(seed, p.idx as u64, Stream::Admission);
    let mut out = Vec::new();
    if !rng.chance(admission_probability(p)) {
        return out;
    }
    let span = (end - start).num_days().max(1);
    let Some(s) = pick_scenario(&mut rng, p) else {
        return out;
    };
    let day = (start + days(rng.int(1, span))).max(p.birth + days(30));
    if day > end {
        return out;
    }
    let first = make_request(&mut rng, p, s, day);
    let first_end = first.discharge;
    out.push(first);
    // Readmission for some, after a gap.
    let gap = rng.int(14, 60);
    let day2 = (first_end + days(gap)).date();
    if p.kind != Kind::Maternity
        && rng.chance(0.15)
        && day2 < end
        && let Some(s2) = pick_scenario(&mut rng, p)
        && s2.key != "delivery"
    {
        out.push(make_request(&mut rng, p, s2, day2));
    }
    out
}

/// Patients a hospital of `patients` should have admitted at the export, at least: a quarter of
/// a small sample, never more than a dozen (about what 1,500 patients give on their own).
pub fn census_floor(patients: usize) -> usize {
    (patients / 4).min(12)
}

fn open_at(r: &Request, export: Dt) -> bool {
    r.admit <= export && r.discharge > export
}

/// Admits more patients shortly before the export until `census_floor` stays are open.
/// Candidates are patients without any admission, in an order drawn from the seed.
fn fill_census(reqs: &mut Vec<Request>, profiles: &[Profile], seed: u64, start: NaiveDate, export: Dt) {
    let want = census_floor(profiles.len());
    let mut open = reqs.iter().filter(|r| open_at(r, export)).count();
    if open >= want || (export.date() - start).num_days() < 2 {
        return;
    }
    let admitted: std::collections::HashSet<u32> = reqs.iter().map(|r| r.patient).collect();
    let mut candidates: Vec<(u64, &Profile)> = profiles
        .iter()
        .filter(|p| p.kind != Kind::Dormant && !admitted.contains(&p.idx))
        .map(|p| (Rng::stream(seed, p.idx as u64, Stream::Census).next_u64(), p))
        .collect();
    candidates.sort_by_key(|(k, p)| (*k, p.idx));
    for (_, p) in candidates {
        if open >= want {
            break;
        }
        let mut rng = Rng::stream(seed, p.idx as u64, Stream::Census);
        rng.next_u64();
        let Some(s) = pick_scenario(&mut rng, p) else {
            continue;
        };
        // A few tries at an admission day that leaves the patient in hospital at the export.
        for _ in 0..6 {
            let back = rng.int(0, (s.los.1 - 1).max(0));
            let day = export.date() - days(back);
            if day <= start || day < p.birth + days(30) {
                continue;
            }
            let mut r = make_request(&mut rng, p, s, day);
            if open_at(&r, export) && r.admit.date() > start {
                r.census_fill = true;
                reqs.push(r);
                open += 1;
                break;
            }
        }
    }
}

/// Average number of patients per ward over the last 30 days, if every request were granted.
fn demand(reqs: &[Request], end_t: Dt, window_days: i64) -> Vec<f64> {
    let span = window_days.clamp(1, 30);
    let from = end_t - days(span);
    let mut out = vec![0.0; WARDS.len()];
    for r in reqs {
        for (w, a, b) in &r.plan {
            let a = (*a).max(from);
            let b = (*b).min(end_t);
            if b > a {
                out[*w] += (b - a).num_minutes() as f64 / (span * 1440) as f64;
            }
        }
    }
    out
}

/// Patients per ward at the export time, if every request were granted.
fn at_export(reqs: &[Request], export: Dt) -> Vec<u32> {
    let mut out = vec![0; WARDS.len()];
    for r in reqs {
        if let Some((w, _, _)) = r.plan.iter().find(|(_, a, b)| *a <= export && export < *b) {
            out[*w] += 1;
        }
    }
    out
}

/// Beds per ward: the average demand at the target occupancy, and never fewer than the
/// patients in the ward at the export (a filled small hospital ends busier than its average).
fn build_wards(demand: &[f64], at_export: &[u32]) -> Vec<Vec<Bed>> {
    WARDS
        .iter()
        .enumerate()
        .map(|(w, spec)| {
            let target = if spec.icu { TARGET - 0.08 } else { TARGET };
            let n = if demand[w] > 0.0 {
                ((demand[w] / target).round() as u32).max(1)
            } else {
                0
            };
            let n = n.max(at_export[w]);
            let per_room = if spec.icu { 1 } else { 4 };
            (0..n)
                .map(|i| Bed {
                    ward: w,
                    room: spec.first_room + i / per_room,
                    bed: i % per_room + 1,
                })
                .collect()
        })
        .collect()
}

/// Allocate beds for all patients. Sequential and deterministic.
pub fn allocate(profiles: &[Profile], seed: u64, start: NaiveDate, end: NaiveDate, export: Dt) -> Hospital {
    let mut reqs: Vec<Request> = profiles
        .iter()
        .flat_map(|p| requests_for(p, seed, start, end))
        .collect();
    fill_census(&mut reqs, profiles, seed, start, export);
    reqs.sort_by_key(|r| (r.admit, r.patient));
    let window_days = (end - start).num_days();
    let beds = build_wards(&demand(&reqs, export, window_days), &at_export(&reqs, export));
    let mut free: Vec<Vec<Dt>> = beds.iter().map(|w| vec![Dt::MIN; w.len()]).collect();
    let general: Vec<usize> = (0..WARDS.len()).filter(|w| !WARDS[*w].icu).collect();
    let mut stays: Vec<Vec<Stay>> = (0..profiles.len()).map(|_| Vec::new()).collect();
    let mut last_discharge: Vec<Dt> = vec![Dt::MIN; profiles.len()];

    // Earliest-idle free bed in ward `w` at time `t`, excluding `not`.
    let find = |free: &Vec<Vec<Dt>>, w: usize, t: Dt, not: Option<Bed>| -> Option<usize> {
        let mut best: Option<usize> = None;
        for (i, f) in free[w].iter().enumerate() {
            if *f <= t && Some(beds[w][i]) != not && best.is_none_or(|b| *f < free[w][b]) {
                best = Some(i);
            }
        }
        best
    };

    for r in &reqs {
        let pi = r.patient as usize;
        if r.admit <= last_discharge[pi] + days(1) {
            continue;
        }
        let mut segs: Vec<Segment> = Vec::new();
        for (k, (w, from, to)) in r.plan.iter().enumerate() {
            let prev = segs.last().map(|s| s.bed);
            let mut choice = find(&free, *w, *from, prev).map(|i| (*w, i));
            if choice.is_none() && !WARDS[*w].icu {
                choice = general
                    .iter()
                    .find_map(|g| find(&free, *g, *from, prev).map(|i| (*g, i)));
            }
            match choice {
                Some((cw, i)) => {
                    free[cw][i] = *to;
                    segs.push(Segment {
                        bed: beds[cw][i],
                        from: *from,
                        to: *to,
                    });
                }
                None if k == 0 => break,
                None => {
                    // No bed for the transfer: stay where we are.
                    if let Some(last) = segs.last_mut() {
                        let b = last.bed;
                        if let Some(i) = beds[b.ward].iter().position(|x| *x == b) {
                            free[b.ward][i] = *to;
                        }
                        last.to = *to;
                    }
                }
            }
        }
        if segs.is_empty() {
            continue;
        }
        last_discharge[pi] = r.discharge;
        stays[pi].push(Stay {
            scenario: r.scenario,
            admit: r.admit,
            discharge: r.discharge,
            planned: r.planned,
            surgery: r.surgery,
            segments: segs,
            census_fill: r.census_fill,
        });
    }
    let inpatients_at_end = stays
        .iter()
        .flatten()
        .filter(|s| s.admit <= export && s.discharge > export)
        .count() as u32;
    let total_beds = beds.iter().map(|w| w.len() as u32).sum();
    Hospital {
        stays,
        inpatients_at_end,
        total_beds,
    }
}

#[cfg(test)]
mod tests {
    use super::super::profile::build;
    use super::*;

    #[test]
    fn no_double_booking_and_plausible_census() {
        let end = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default();
        let start = end - days(365);
        let export = at(end, 23, 0);
        let ps: Vec<Profile> = (0..4000).map(|i| build(i, 9, end)).collect();
        let h = allocate(&ps, 9, start, end, export);
        let mut by_bed: std::collections::HashMap<(usize, u32, u32), Vec<(Dt, Dt)>> = Default::default();
        for s in h.stays.iter().flatten() {
            for seg in &s.segments {
                assert!(seg.from < seg.to);
                by_bed
                    .entry((seg.bed.ward, seg.bed.room, seg.bed.bed))
                    .or_default()
                    .push((seg.from, seg.to));
            }
        }
        for v in by_bed.values_mut() {
            v.sort();
            for w in v.windows(2) {
                assert!(w[0].1 <= w[1].0, "overlap {w:?}");
            }
        }
        let occ = h.inpatients_at_end as f64 / h.total_beds.max(1) as f64;
        println!("census {} / {} beds", h.inpatients_at_end, h.total_beds);
        assert!(
            (0.55..=0.9).contains(&occ),
            "occupancy {occ} ({} / {})",
            h.inpatients_at_end,
            h.total_beds
        );
    }

    #[test]
    fn small_hospitals_keep_a_census_across_wards() {
        let end = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap_or_default();
        let start = end - days(365);
        let export = at(end, 23, 0);
        for seed in [1, 2, 3] {
            let ps: Vec<Profile> = (0..50).map(|i| build(i, seed, end)).collect();
            let h = allocate(&ps, seed, start, end, export);
            assert!(h.inpatients_at_end >= 10, "seed {seed}: {}", h.inpatients_at_end);
            let wards: std::collections::HashSet<usize> = h
                .stays
                .iter()
                .flatten()
                .filter(|s| s.admit <= export && s.discharge > export)
                .filter_map(|s| {
                    s.segments
                        .iter()
                        .rev()
                        .find(|g| g.from <= export)
                        .map(|g| g.bed.ward)
                })
                .collect();
            assert!(wards.len() >= 2, "seed {seed}: wards {wards:?}");
            // Deterministic for a seed.
            let again = allocate(&ps, seed, start, end, export);
            assert_eq!(again.inpatients_at_end, h.inpatients_at_end);
        }
        // The floor never adds admissions to a hospital that has enough of its own.
        assert_eq!(census_floor(4000), 12);
    }
}
