//! The story of one patient: chronic follow-up, acute visits, pregnancies
//! and hospital stays, turned into SS-MIX2 messages.

use super::beds::{Segment, Stay};
use super::care::{ACUTE, Acute};
use super::drugs::Drug;
use super::exams::diet;
use super::lab::Episode;
use super::labs::{self, Panel};
use super::patient::{Gen, Visit};
use super::profile::{Kind, Profile};
use super::rng::{Rng, Stream};
use super::rx::{Dispense, Rx, drugs_of};
use super::scenario::{Scenario, Trend};
use super::ts::{Dt, at, days, minutes};
use super::writer::PatientFiles;
use chrono::{Datelike, NaiveDate, TimeDelta, Weekday};

/// Generate every file of one patient.
pub fn run(
    p: &Profile,
    stays: &[Stay],
    seed: u64,
    start: NaiveDate,
    end: NaiveDate,
    export: Dt,
) -> PatientFiles {
    let mut g = Gen::new(p, stays, seed, at(start, 0, 0), export, end);
    g.chronic_history();
    for s in stays {
        g.busy
            .push((s.admit.date() - days(1), s.discharge.date() + days(1)));
    }
    for s in stays {
        g.stay(s);
    }
    match p.kind {
        Kind::Chronic => g.chronic_visits(),
        Kind::Acute => g.acute_visits(),
        Kind::Child => g.acute_visits(),
        Kind::Maternity => g.maternity(),
        Kind::Dormant => {}
    }
    g.followups();
    g.future_admission();
    g.touchpoints.sort_by_key(|t| t.0);
    g.write_adt00();
    g.write_adt61();
    g.write_ppr();
    // Added later than the rest: each on its own stream, so that the files above keep their
    // bytes for a seed.
    g.rng = Rng::stream(seed, p.idx as u64, Stream::Vitals);
    g.vitals();
    g.rng = Rng::stream(seed, p.idx as u64, Stream::Serology);
    g.serology();
    g.out
}

impl Gen<'_> {
    /// Chronic diagnoses were made before the window.
    fn chronic_history(&mut self) {
        let p = self.p;
        let latest = self.start - days(1);
        for (i, c) in p.chronic.iter().enumerate() {
            let (d, doc) = self.doctor_of(c.dept);
            let span = (latest - self.registered).num_days().max(1);
            let added = (self.registered + days(self.rng.int(0, span))).min(latest);
            let v = Visit::outpatient(d, doc);
            self.add_dx(c.dx, added, &v, false, i == 0);
        }
    }

    /// Chronic medication per department, chosen once per patient.
    fn chronic_meds(&mut self) -> Vec<(&'static str, Vec<&'static Drug>)> {
        let p = self.p;
        let mut out: Vec<(&'static str, Vec<&'static Drug>)> = Vec::new();
        for c in &p.chronic {
            let mut keys: Vec<&str> = Vec::new();
            for (opts, prob) in c.meds {
                if self.rng.chance(*prob) {
                    keys.push(*self.rng.pick(opts));
                }
            }
            let drugs = drugs_of(&keys);
            match out.iter_mut().find(|(d, _)| *d == c.dept) {
                Some((_, list)) => {
                    for d in drugs {
                        if !list.iter().any(|x| x.hot9 == d.hot9) {
                            list.push(d);
                        }
                    }
                }
                None => out.push((c.dept, drugs)),
            }
        }
        out
    }

    /// Oral chronic drugs to continue during a stay.
    fn chronic_oral(&mut self) -> Vec<&'static Drug> {
        let p = self.p;
        let mut keys: Vec<&str> = Vec::new();
        for c in &p.chronic {
            if let Some((opts, _)) = c.meds.first() {
                keys.push(opts[(p.idx as usize) % opts.len()]);
            }
        }
        drugs_of(&keys)
            .into_iter()
            .filter(|d| d.route.code == "PO" && !d.usage.prn)
            .collect()
    }

    fn lab_panels_for_chronic(&self, visit_no: u32) -> Vec<&'static Panel> {
        let p = self.p;
        let warfarin = p.chronic.iter().any(|c| c.dx == "af");
        let intensive = p.has("dm2") || p.has("ckd");
        if !intensive && !visit_no.is_multiple_of(3) {
            return Vec::new();
        }
        let mut v: Vec<&'static Panel> = vec![&labs::CHEM, &labs::CBC];
        if p.has("dm2") {
            v.push(&labs::DM);
        }
        if p.has("dl") && visit_no.is_multiple_of(2) {
            v.push(&labs::LIPID);
        }
        if p.has("chf") || p.has("af") {
            v.push(&labs::HEART);
        }
        if warfarin && visit_no % 2 == 1 {
            v.push(&labs::COAG);
        }
        if p.has("dm2") || p.has("ckd") {
            v.push(&labs::URINALYSIS);
        }
        v
    }

    /// One outpatient visit: registration, labs before the consultation,
    /// exams and a prescription after it.
    #[allow(clippy::too_many_arguments)]
    fn outpatient(
        &mut self,
        t: Dt,
        v: &Visit,
        drugs: &[&'static Drug],
        rx_days: i64,
        panels: &[&'static Panel],
        exams: &[(&str, &str)],
        disp: Dispense,
    ) -> Option<Rx> {
        if t > self.export {
            return None;
        }
        self.adt_visit(t, v);
        self.touchpoints.push((t, *v));
        let mut consult = t + minutes(self.rng.int(15, 40));
        if !panels.is_empty() {
            let ordered = t + minutes(2);
            let collect = t + minutes(self.rng.int(8, 15));
            let report = collect + minutes(self.rng.int(40, 65));
            self.lab(ordered, collect, report, v, panels);
            consult = consult.max(report + minutes(10));
        }
        for (key, tag) in exams {
            let ordered = consult + minutes(5);
            if *key == "gf" {
                // Endoscopy is booked for a later day.
                let wait = self.rng.int(7, 14);
                let day = self.free_weekday((consult + days(wait)).date());
                if let Some(day) = day {
                    let done = at(day, 9, self.rng.int(0, 50) as u32);
                    let report = done + minutes(self.rng.int(60, 180));
                    self.exam(key, ordered, done, report, v, tag);
                }
            } else {
                let done = ordered + minutes(self.rng.int(15, 45));
                let report = done + minutes(self.rng.int(30, 150));
                self.exam(key, ordered, done, report, v, tag);
            }
        }
        let rx_t = consult + minutes(self.rng.int(5, 20));
        self.prescribe(rx_t, v, drugs, rx_days, disp)
    }

    fn chronic_visits(&mut self) {
        let groups = self.chronic_meds();
        let disp = if self.rng.chance(0.3) {
            Dispense::InHouse
        } else {
            Dispense::Outside
        };
        for (gi, (dept_code, drugs)) in groups.into_iter().enumerate() {
            let (d, doc) = self.doctor_of(dept_code);
            let v = Visit::outpatient(d, doc);
            // Stable patients get long prescriptions (up to 90 days is common in Japan).
            let interval: i64 = if gi == 0 {
                [28, 42, 56, 84][self.rng.weighted(&[40.0, 10.0, 30.0, 20.0])]
            } else {
                *self.rng.pick(&[56, 84])
            };
            let mut next = self.start.date() + days(self.rng.int(0, interval - 1));
            let mut n: u32 = 0;
            while next <= self.end {
                let Some(day) = self.free_weekday(next) else { break };
                if day > self.end {
                    break;
                }
                let t = at(day, self.rng.int(8, 14) as u32, self.rng.int(0, 59) as u32);
                let internal = matches!(dept_code, "01" | "02" | "03" | "04" | "05");
                let panels = if internal {
                    self.lab_panels_for_chronic(n)
                } else {
                    Vec::new()
                };
                let mut exams: Vec<(&str, &str)> = Vec::new();
                if dept_code == "02" && n.is_multiple_of(6) {
                    exams.push(("ecg", ""));
                }
                if (self.p.has("copd") || self.p.has("chf")) && n % 6 == 1 {
                    exams.push(("chest_xr", if self.p.has("copd") { "copd" } else { "" }));
                }
                let mut list = drugs.clone();
                if self.rng.chance(0.08) {
                    list.push(super::drugs::drug("loxoprofen_prn"));
                }
                self.outpatient(t, &v, &list, interval, &panels, &exams, disp);
                n += 1;
                next = day + days(interval + self.rng.int(-3, 3));
            }
        }
    }

    fn pick_acute(&mut self) -> Option<&'static Acute> {
        let age = self.p.age;
        let w: Vec<f64> = ACUTE
            .iter()
            .map(|a| {
                if age >= a.ages.0 && age <= a.ages.1 {
                    a.weight
                } else {
                    0.0
                }
            })
            .collect();
        if w.iter().all(|x| *x <= 0.0) {
            return None;
        }
        Some(&ACUTE[self.rng.weighted(&w)])
    }

    fn acute_visits(&mut self) {
        let n = 1 + self.rng.weighted(&[45.0, 32.0, 16.0, 7.0]);
        let span = (self.end - self.start.date()).num_days().max(1);
        for _ in 0..n {
            let Some(a) = self.pick_acute() else { return };
            let want = self.start.date() + days(self.rng.int(0, span));
            let Some(day) = self.free_weekday(want) else {
                continue;
            };
            if day > self.end {
                continue;
            }
            self.acute_episode(a, day);
        }
    }

    fn acute_episode(&mut self, a: &'static Acute, day: NaiveDate) {
        let (d, doc) = self.doctor_of(a.dept);
        let v = Visit::outpatient(d, doc);
        let t = at(day, self.rng.int(8, 15) as u32, self.rng.int(0, 59) as u32);
        if t > self.export {
            return;
        }
        let sev = self.rng.uniform(0.6, 1.4);
        self.labs.episodes.push(Episode {
            start: t - days(2),
            trend: Trend::Mild,
            severity: sev,
            crp: a.crp,
        });
        let rx_days = self.rng.int(a.days.0, a.days.1);
        let i = self.add_dx(a.dx, t, &v, a.suspected, false);
        if !a.suspected {
            self.dxs[i].resolved = Some(t + days(rx_days + self.rng.int(3, 10)));
        }
        let panels: Vec<&'static Panel> = if self.rng.chance(a.lab) {
            vec![&labs::CBC, &labs::CHEM_SHORT]
        } else {
            Vec::new()
        };
        let exams: Vec<(&str, &str)> = match a.exam {
            Some("gf") => vec![("gf", if a.dx == "gastric_ulcer" { "ulcer" } else { "" })],
            Some("chest_xr") => vec![("chest_xr", if a.dx == "bronchitis" { "bronchitis" } else { "" })],
            Some(e) => vec![(e, "")],
            None => Vec::new(),
        };
        let drugs = drugs_of(a.meds);
        self.outpatient(t, &v, &drugs, rx_days, &panels, &exams, Dispense::Outside);
        // Follow-up visit for some.
        if a.suspected || rx_days >= 14 || self.rng.chance(0.3) {
            let wait = self.rng.int(1, 7);
            let Some(day2) = self.free_weekday(day + days(rx_days + wait)) else {
                return;
            };
            if day2 > self.end {
                return;
            }
            let t2 = at(day2, self.rng.int(8, 15) as u32, self.rng.int(0, 59) as u32);
            let more = if a.days.0 >= 28 { drugs.clone() } else { Vec::new() };
            self.outpatient(t2, &v, &more, 28, &[], &[], Dispense::Outside);
        }
    }

    fn maternity(&mut self) {
        let delivery = self
            .stays
            .iter()
            .find(|s| s.scenario.key == "delivery")
            .map(|s| s.admit);
        let due = delivery
            .map(|t| t.date())
            .unwrap_or(self.end + days(self.rng.int(10, 150)));
        let (d, doc) = self.doctor_of("24");
        let v = Visit::outpatient(d, doc);
        let mut next = (due - days(200)).max(self.start.date());
        let mut n = 0;
        let mut first = true;
        while next <= self.end && next < due - days(3) {
            let Some(day) = self.free_weekday(next) else { break };
            if day > self.end || day >= due - days(2) {
                break;
            }
            let t = at(day, self.rng.int(9, 15) as u32, self.rng.int(0, 59) as u32);
            if first {
                let i = self.add_dx("pregnancy", t, &v, false, true);
                if let Some(dl) = delivery {
                    self.dxs[i].resolved = Some(dl);
                }
                first = false;
            }
            let panels: Vec<&'static Panel> = if n % 3 == 0 {
                vec![&labs::CBC, &labs::URINALYSIS]
            } else {
                vec![&labs::URINALYSIS]
            };
            let drugs = if n >= 3 && self.p.idx.is_multiple_of(3) {
                drugs_of(&["ferrous"])
            } else {
                Vec::new()
            };
            self.outpatient(t, &v, &drugs, 28, &panels, &[], Dispense::Outside);
            n += 1;
            let gap = if (due - day).num_days() > 60 { 28 } else { 14 };
            next = day + days(gap);
        }
    }

    /// Follow-up visit one to two weeks after each discharge.
    fn followups(&mut self) {
        let stays = self.stays;
        for s in stays {
            if s.discharge > self.export {
                continue;
            }
            let wait = self.rng.int(7, 14);
            let Some(day) = self.free_weekday(s.discharge.date() + days(wait)) else {
                continue;
            };
            if day > self.end {
                continue;
            }
            let (d, doc) = self.doctor_of(s.scenario.dept);
            let v = Visit::outpatient(d, doc);
            let t = at(day, self.rng.int(9, 14) as u32, self.rng.int(0, 59) as u32);
            let drugs = drugs_of(s.scenario.discharge_meds);
            let panels: Vec<&'static Panel> = if s.scenario.dept == "24" || s.scenario.dept == "33" {
                Vec::new()
            } else {
                vec![&labs::CBC, &labs::CHEM_SHORT]
            };
            self.outpatient(t, &v, &drugs, 28, &panels, &[], Dispense::Outside);
        }
    }

    /// A few patients have an admission booked after the export (ADT-21 only).
    fn future_admission(&mut self) {
        if self.p.kind != Kind::Chronic || !self.rng.chance(0.02) {
            return;
        }
        let key = *self.rng.pick(&["dm_edu", "cataract", "bph_surgery"]);
        let sc = super::scenario::scenario(key);
        if self.p.age < sc.ages.0 || (sc.sex == 'M' && self.p.sex != super::profile::Sex::M) {
            return;
        }
        let (d, doc) = self.doctor_of(sc.dept);
        let planned = at(self.end + days(self.rng.int(3, 14)), 10, 0);
        let sent = self.export - days(self.rng.int(1, 6)) - TimeDelta::hours(8);
        let v = Visit {
            inpatient: true,
            dept: d,
            doctor: doc,
            bed: None,
        };
        self.adt_planned_admission(sent, planned, &v, super::dx::diagnosis(sc.dx).name);
    }

    fn bed_at(segments: &[Segment], t: Dt) -> &Segment {
        segments
            .iter()
            .find(|s| t >= s.from && t < s.to)
            .unwrap_or_else(|| {
                if t < segments[0].from {
                    &segments[0]
                } else {
                    &segments[segments.len() - 1]
                }
            })
    }

    fn admission_panels(sc: &Scenario, diabetic: bool, anticoag: bool) -> Vec<&'static Panel> {
        let mut v: Vec<&'static Panel> = vec![&labs::CHEM, &labs::CBC, &labs::ADMISSION_EXTRA];
        if sc.surgery_day.is_some() || anticoag || sc.trend == Trend::Stroke {
            v.push(&labs::COAG);
        }
        if sc.trend == Trend::HeartFailure {
            v.push(&labs::HEART);
        }
        if matches!(sc.trend, Trend::Infection | Trend::Mild) {
            v.push(&labs::URINALYSIS);
        }
        if diabetic || sc.key == "dm_edu" {
            v.push(&labs::DM);
        }
        v
    }

    /// A hospital stay from planning to discharge.
    fn stay(&mut self, s: &Stay) {
        let sc = s.scenario;
        if s.admit > self.export || s.segments.is_empty() {
            return;
        }
        let (d, doc) = self.doctor_of(sc.dept);
        let vin = |seg: &Segment| Visit {
            inpatient: true,
            dept: d,
            doctor: doc,
            bed: Some(seg.bed),
        };
        let first = vin(&s.segments[0]);
        let dx_name = super::dx::diagnosis(sc.dx).name;

        // Before admission: outpatient work-up and booking, or an ER visit.
        if s.planned {
            let lead = self.rng.int(7, 21);
            let pre = self.free_weekday(s.admit.date() - days(lead));
            let v = Visit::outpatient(d, doc);
            match pre {
                Some(day) if at(day, 0, 0) >= self.start && day < s.admit.date() => {
                    let t = at(day, self.rng.int(9, 14) as u32, self.rng.int(0, 59) as u32);
                    let mut exams: Vec<(&str, &str)> = Vec::new();
                    if sc.key == "lung_ca" {
                        exams.push(("chest_ct", "lungca"));
                    }
                    self.outpatient(
                        t,
                        &v,
                        &[],
                        0,
                        &[&labs::CHEM, &labs::CBC, &labs::COAG],
                        &exams,
                        Dispense::Outside,
                    );
                    self.adt_planned_admission(t + minutes(40), s.admit, &first, dx_name);
                }
                _ => {
                    let t = s.admit - days(7);
                    if t >= self.start {
                        self.adt_planned_admission(t, s.admit, &first, dx_name);
                    }
                }
            }
        } else if !self.visit_days.contains(&(s.admit - minutes(90)).date()) {
            let v = Visit::outpatient(d, doc);
            let er = s.admit - minutes(90);
            if er >= self.start {
                self.adt_visit(er, &v);
            }
        }

        let sev = self.rng.uniform(0.6, 1.4);
        let ep_start = match sc.trend {
            Trend::PostOp => s.surgery.unwrap_or(s.admit) - days(1),
            Trend::Infection => s.admit - days(1),
            _ => s.admit,
        };
        self.labs.episodes.push(Episode {
            start: ep_start,
            trend: sc.trend,
            severity: sev,
            crp: 1.0,
        });
        let i = self.add_dx(sc.dx, s.admit, &first, false, true);
        let chronic_dx = matches!(sc.key, "lung_ca" | "stroke" | "dm_edu" | "bph_surgery" | "adhf");
        if !chronic_dx && s.discharge <= self.export {
            self.dxs[i].resolved = Some(s.discharge);
        }

        // Admission (sometimes entered on the wrong bed first and cancelled).
        let mistake = if self.rng.chance(0.03) {
            let mut wrong = first;
            if let Some(b) = wrong.bed.as_mut() {
                b.bed = if b.bed == 1 { 2 } else { 1 };
            }
            Some(wrong)
        } else {
            None
        };
        self.adt_admit(s.admit, &first, mistake.as_ref());
        self.touchpoints.push((s.admit, first));

        // Transfers between segments.
        for w in s.segments.windows(2) {
            self.adt_transfer(w[1].from, &vin(&w[0]), &vin(&w[1]), false);
        }
        let los = (s.discharge.date() - s.admit.date()).num_days();
        if los >= 4 && self.rng.chance(0.03) {
            let t = at(
                s.admit.date() + days(self.rng.int(1, los - 1)),
                15,
                self.rng.int(0, 59) as u32,
            );
            let cur = Gen::bed_at(&s.segments, t);
            let mut to = vin(cur);
            if let Some(b) = to.bed.as_mut() {
                b.room += 1;
            }
            self.adt_transfer(t, &vin(cur), &to, true);
        }

        // Weekend leave during long stays.
        if los >= 14 && (s.census_fill || self.rng.chance(0.3)) {
            let mut day = s.admit.date() + days(7);
            while day.weekday() != Weekday::Sat {
                day += days(1);
            }
            let out = at(day, 10, self.rng.int(0, 30) as u32);
            let back = at(day + days(1), 16, self.rng.int(0, 50) as u32);
            let seg = Gen::bed_at(&s.segments, out);
            if back < s.discharge - days(2) && !super::dept::WARDS[seg.bed.ward].icu && seg.to > back {
                self.adt_leave(out, back, &vin(seg));
            }
        }

        // Day by day.
        let inpatient_drugs = {
            let mut v = drugs_of(sc.oral);
            for d in self.chronic_oral() {
                if !v.iter().any(|x| x.hot9 == d.hot9) {
                    v.push(d);
                }
            }
            v
        };
        let diabetic = self.p.has("dm2");
        let anticoag = self.p.has("af");
        let iv_days = if sc.iv.is_empty() {
            0
        } else {
            self.rng.int(sc.iv_days.0, sc.iv_days.1)
        };
        let until = s.discharge.min(self.export);
        let last_day = until.date();
        // Anticoagulation by continuous heparin in the acute phase of a stroke or a heart
        // failure admission: a drip that is still running when the snapshot is taken.
        if matches!(sc.trend, Trend::Stroke | Trend::HeartFailure) {
            let v0 = vin(Gen::bed_at(&s.segments, s.admit + minutes(120)));
            self.continuous_infusion(s.admit + minutes(120), &v0, s.discharge);
        }
        let mut day = s.admit.date();
        let mut rx: Option<Rx> = None;
        let mut seen_exams: Vec<&str> = Vec::new();
        while day <= last_day {
            let dn = (day - s.admit.date()).num_days();
            let probe = at(day, 10, 0).max(s.admit + minutes(5)).min(until);
            let v = vin(Gen::bed_at(&s.segments, probe));
            let morning = |g: &mut Gen| at(day, 7, g.rng.int(0, 50) as u32);

            if dn < iv_days {
                let ordered = if dn == 0 {
                    s.admit + minutes(30)
                } else {
                    morning(self)
                };
                self.inject_day(day, ordered, &v, sc.iv, s.admit + minutes(60), s.discharge);
            }
            if dn == 0 {
                let panels = Gen::admission_panels(sc, diabetic, anticoag);
                let t0 = s.admit + minutes(20);
                let report = t0 + minutes(self.rng.int(60, 90));
                self.lab(t0, t0 + minutes(10), report, &v, &panels);
            } else if day < s.discharge.date() && (if dn <= 7 { dn % 2 == 0 } else { dn % 3 == 0 }) {
                let mut panels: Vec<&'static Panel> = vec![&labs::CHEM_SHORT, &labs::CBC];
                if sc.trend == Trend::HeartFailure {
                    panels.push(&labs::HEART);
                }
                let ordered = at(day - days(1), 15, self.rng.int(0, 59) as u32).max(s.admit + minutes(60));
                let collect = at(day, 6, self.rng.int(0, 40) as u32);
                let report = collect + minutes(self.rng.int(90, 150));
                self.lab(ordered, collect, report, &v, &panels);
            }
            for (key, from) in sc.diet {
                if *from == dn {
                    let (ordered, start) = if dn == 0 {
                        let o = s.admit + minutes(40);
                        (o, o + TimeDelta::hours(3))
                    } else {
                        (morning(self), at(day, 12, 0))
                    };
                    self.diet(ordered, start, &v, diet(key));
                }
            }
            for (key, when, tag) in sc.exams {
                let dd = if *when >= 0 { *when } else { los + *when };
                if dd != dn || (dn > 0 && day >= s.discharge.date()) {
                    continue;
                }
                let ordered = if dn == 0 {
                    s.admit + minutes(15)
                } else {
                    at(day, 8, self.rng.int(30, 59) as u32)
                };
                let done = ordered + minutes(self.rng.int(30, 90));
                let tag = if seen_exams.contains(key) || !tag.ends_with("_f") {
                    *tag
                } else {
                    tag.trim_end_matches("_f")
                };
                seen_exams.push(key);
                let report = done + minutes(self.rng.int(60, 240));
                self.exam(key, ordered, done, report, &v, tag);
            }
            // Weekly inpatient prescription, administered every day.
            if dn % 7 == 0 && day < s.discharge.date() && !inpatient_drugs.is_empty() {
                let t = if dn == 0 {
                    s.admit + minutes(60)
                } else {
                    at(day, 10, self.rng.int(0, 59) as u32)
                };
                if let Some(new) = self.prescribe(t, &v, &inpatient_drugs, 7, Dispense::Inpatient) {
                    rx = Some(new);
                }
            }
            if let Some(r) = &rx
                && day < r.start.date() + days(r.days)
            {
                self.administer_oral(r, day, &v, until);
            }
            day += days(1);
        }

        // Planned discharge, discharge prescription and discharge.
        let last = vin(Gen::bed_at(&s.segments, s.discharge - minutes(1)));
        if los >= 3 {
            let sent = at(
                (s.discharge - days(self.rng.int(1, 3))).date(),
                15,
                self.rng.int(0, 59) as u32,
            );
            if sent > s.admit {
                self.adt_planned_discharge(sent, s.discharge, &last);
            }
        }
        if s.discharge <= self.export {
            let mut meds = drugs_of(sc.discharge_meds);
            for d in self.chronic_oral() {
                if !meds.iter().any(|x| x.hot9 == d.hot9) {
                    meds.push(d);
                }
            }
            self.prescribe(s.discharge - minutes(120), &last, &meds, 14, Dispense::Inpatient);
            if los >= 3 && self.rng.chance(0.03) {
                // A discharge entered a day early and cancelled.
                let wrong = s.discharge - days(1);
                self.adt_discharge(s.admit, wrong, &last, true);
            }
            self.adt_discharge(s.admit, s.discharge, &last, false);
            self.touchpoints.push((s.discharge, last));
        }
    }
}
